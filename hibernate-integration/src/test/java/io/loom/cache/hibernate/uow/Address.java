package io.loom.cache.hibernate.uow;

import jakarta.persistence.Embeddable;

/** A customer's address, embedded in the customer's row. */
@Embeddable
public class Address {
    private String street;
    private String city;

    protected Address() {
    }

    public Address(String street, String city) {
        this.street = street;
        this.city = city;
    }

    public String getStreet() {
        return street;
    }

    public String getCity() {
        return city;
    }

    public void setCity(String city) {
        this.city = city;
    }
}
