package io.loom.cache.spring.example;

import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.Id;

/** A product of the example shop. */
@Entity
public class Product {

    @Id
    @GeneratedValue
    private Long id;
    private String name;
    private String category;
    private long price;

    protected Product() {
    }

    public Product(String name, String category, long price) {
        this.name = name;
        this.category = category;
        this.price = price;
    }

    public Long getId() {
        return id;
    }

    public String getName() {
        return name;
    }

    public String getCategory() {
        return category;
    }

    public long getPrice() {
        return price;
    }

    public void setPrice(long price) {
        this.price = price;
    }

    public void setName(String name) {
        this.name = name;
    }
}
