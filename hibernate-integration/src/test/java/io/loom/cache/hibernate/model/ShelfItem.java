package io.loom.cache.hibernate.model;

import jakarta.persistence.Basic;
import jakarta.persistence.Entity;
import jakarta.persistence.FetchType;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.JoinColumn;
import jakarta.persistence.ManyToOne;
import jakarta.persistence.Table;

/** An item on a shelf; its life cycle follows the shelf's {@code items} collection. */
@Entity
@Table(name = "shelf_item")
public class ShelfItem {

    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    private Long id;

    @ManyToOne(fetch = FetchType.LAZY, optional = false)
    @JoinColumn(name = "shelf_id")
    private Shelf shelf;

    @Basic(optional = false)
    private String label;

    private int position;

    protected ShelfItem() {
    }

    ShelfItem(Shelf shelf, String label, int position) {
        this.shelf = shelf;
        this.label = label;
        this.position = position;
    }

    public Long getId() {
        return id;
    }

    public Shelf getShelf() {
        return shelf;
    }

    public String getLabel() {
        return label;
    }

    public void setLabel(String label) {
        this.label = label;
    }

    public int getPosition() {
        return position;
    }
}
