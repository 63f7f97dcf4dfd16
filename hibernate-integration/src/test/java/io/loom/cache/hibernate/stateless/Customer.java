package io.loom.cache.hibernate.stateless;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.JoinTable;
import jakarta.persistence.ManyToMany;
import jakarta.persistence.Table;
import jakarta.persistence.Version;

import java.util.HashSet;
import java.util.Set;

/** A customer with an optimistic-lock version and an owned m-n tag set (assigned ids, so upsert works). */
@Entity
@Table(name = "sl_customer")
public class Customer {

    @Id
    private Long id;

    @Version
    private long version;

    @Column(nullable = false)
    private String name;

    @ManyToMany
    @JoinTable(name = "sl_customer_tag")
    private Set<Tag> tags = new HashSet<>();

    protected Customer() {
    }

    public Customer(Long id, String name) {
        this.id = id;
        this.name = name;
    }

    public Long getId() {
        return id;
    }

    public long getVersion() {
        return version;
    }

    public String getName() {
        return name;
    }

    public void setName(String name) {
        this.name = name;
    }

    public Set<Tag> getTags() {
        return tags;
    }
}
