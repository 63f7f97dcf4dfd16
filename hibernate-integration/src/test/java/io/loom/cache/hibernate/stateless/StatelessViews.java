package io.loom.cache.hibernate.stateless;

/** Output, create and update records of the StatelessSession model. */
public final class StatelessViews {

    private StatelessViews() {
    }

    public record CustomerView(Long id, String name) {
    }

    public record CustomerCreate(String name) {
    }

    public record CustomerUpdate(String name) {
    }

    public record NoteView(Long id, String text) {
    }

    public record NoteCreate(String text) {
    }

    public record NoteUpdate(String text) {
    }
}
