package io.loom.cache.hibernate.model;

import jakarta.persistence.CascadeType;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.FetchType;
import jakarta.persistence.Id;
import jakarta.persistence.OneToMany;
import jakarta.persistence.OrderBy;
import jakarta.persistence.Table;

import java.util.ArrayList;
import java.util.List;

/**
 * A shelf with an application-assigned id that owns its items: they are saved and removed through
 * it ({@code cascade = ALL, orphanRemoval = true}).
 */
@Entity
@Table(name = "shelf")
public class Shelf {

    @Id
    private Long id;

    @Column(nullable = false)
    private String name;

    @OneToMany(mappedBy = "shelf", fetch = FetchType.LAZY, cascade = CascadeType.ALL, orphanRemoval = true)
    @OrderBy("position")
    private List<ShelfItem> items = new ArrayList<>();

    protected Shelf() {
    }

    public Shelf(Long id, String name) {
        this.id = id;
        this.name = name;
    }

    /** Adds an item, setting its owning side. */
    public ShelfItem add(String label, int position) {
        ShelfItem item = new ShelfItem(this, label, position);
        items.add(item);
        return item;
    }

    public Long getId() {
        return id;
    }

    public String getName() {
        return name;
    }

    public void setName(String name) {
        this.name = name;
    }

    public List<ShelfItem> getItems() {
        return items;
    }
}
