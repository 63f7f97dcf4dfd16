package io.loom.cache.hibernate.stateless;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

/** A tag customers are marked with. */
@Entity
@Table(name = "sl_tag")
public class Tag {

    @Id
    private Long id;

    @Column(nullable = false)
    private String label;

    protected Tag() {
    }

    public Tag(Long id, String label) {
        this.id = id;
        this.label = label;
    }

    public Long getId() {
        return id;
    }

    public String getLabel() {
        return label;
    }

    public void setLabel(String label) {
        this.label = label;
    }
}
