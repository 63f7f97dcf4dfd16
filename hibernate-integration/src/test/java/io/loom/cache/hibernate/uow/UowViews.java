package io.loom.cache.hibernate.uow;

/** Output, create and update records of the uow model. */
public final class UowViews {

    private UowViews() {
    }

    public record WarehouseView(String code, String city) {
    }

    public record WarehouseCreate(String code, String city) {
    }

    public record WarehouseUpdate(String city) {
    }

    /** Any root or subclass of {@link Hierarchies}. */
    public record NamedView(Long id, String name) {
    }

    public record NamedCreate(Long id, String name) {
    }

    public record NamedUpdate(String name) {
    }
}
