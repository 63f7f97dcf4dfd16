package io.loom.cache.hibernate.stateless;

import jakarta.persistence.Column;
import jakarta.persistence.EmbeddedId;
import jakarta.persistence.Entity;
import jakarta.persistence.Table;

/** An entity whose id cannot be turned into text (see {@link BrokenKey}). */
@Entity
@Table(name = "sl_broken_key_item")
public class BrokenKeyItem {

    @EmbeddedId
    private BrokenKey id;

    @Column(nullable = false)
    private String label;

    protected BrokenKeyItem() {
    }

    public BrokenKeyItem(BrokenKey id, String label) {
        this.id = id;
        this.label = label;
    }

    public String getLabel() {
        return label;
    }
}
