package io.loom.cache.hibernate.stateless;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

/** A plain entity: no version, no collection. */
@Entity
@Table(name = "sl_note")
public class Note {

    @Id
    private Long id;

    @Column(nullable = false)
    private String text;

    protected Note() {
    }

    public Note(Long id, String text) {
        this.id = id;
        this.text = text;
    }

    public Long getId() {
        return id;
    }

    public String getText() {
        return text;
    }

    public void setText(String text) {
        this.text = text;
    }
}
