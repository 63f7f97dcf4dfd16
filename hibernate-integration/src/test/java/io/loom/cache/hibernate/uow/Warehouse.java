package io.loom.cache.hibernate.uow;

import jakarta.persistence.Entity;
import jakarta.persistence.Id;

/** An entity with an assigned text id (case-insensitive and pad-space on MariaDB's default collation). */
@Entity
public class Warehouse {
    @Id
    private String code;
    private String city;

    protected Warehouse() {
    }

    public Warehouse(String code, String city) {
        this.code = code;
        this.city = city;
    }

    public String getCode() {
        return code;
    }

    public String getCity() {
        return city;
    }

    public void setCity(String city) {
        this.city = city;
    }
}
