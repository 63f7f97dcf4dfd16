package io.loom.cache.hibernate.uow;

import jakarta.persistence.DiscriminatorValue;
import jakarta.persistence.ElementCollection;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Inheritance;
import jakarta.persistence.InheritanceType;
import jakarta.persistence.MappedSuperclass;

import java.util.HashSet;
import java.util.Set;

/**
 * Three entity hierarchies, one per inheritance strategy, each an abstract root with two
 * subclasses: products (SINGLE_TABLE), vehicles (JOINED) and accounts (TABLE_PER_CLASS).
 * Every root has an assigned id and a name; each subclass adds one property.
 */
public final class Hierarchies {

    private Hierarchies() {
    }

    /** Id and name shared by every root. */
    @MappedSuperclass
    public abstract static class Named {
        @Id
        private Long id;
        private String name;

        protected Named() {
        }

        protected Named(Long id, String name) {
            this.id = id;
            this.name = name;
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
    }

    @Entity(name = "Product")
    @Inheritance(strategy = InheritanceType.SINGLE_TABLE)
    public abstract static class Product extends Named {
        @ElementCollection
        private Set<String> labels = new HashSet<>();

        protected Product() {
        }

        public Set<String> getLabels() {
            return labels;
        }

        protected Product(Long id, String name) {
            super(id, name);
        }
    }

    @Entity(name = "DigitalProduct")
    @DiscriminatorValue("digital")
    public static class DigitalProduct extends Product {
        private String url;

        protected DigitalProduct() {
        }

        public DigitalProduct(Long id, String name, String url) {
            super(id, name);
            this.url = url;
        }

        public void setUrl(String url) {
            this.url = url;
        }
    }

    @Entity(name = "PhysicalProduct")
    @DiscriminatorValue("physical")
    public static class PhysicalProduct extends Product {
        private Integer weight;

        protected PhysicalProduct() {
        }

        public PhysicalProduct(Long id, String name, Integer weight) {
            super(id, name);
            this.weight = weight;
        }

        public void setWeight(Integer weight) {
            this.weight = weight;
        }
    }

    @Entity(name = "Vehicle")
    @Inheritance(strategy = InheritanceType.JOINED)
    public abstract static class Vehicle extends Named {
        protected Vehicle() {
        }

        protected Vehicle(Long id, String name) {
            super(id, name);
        }
    }

    @Entity(name = "Car")
    public static class Car extends Vehicle {
        private Integer seats;

        protected Car() {
        }

        public Car(Long id, String name, Integer seats) {
            super(id, name);
            this.seats = seats;
        }
    }

    @Entity(name = "Truck")
    public static class Truck extends Vehicle {
        private Integer payload;

        protected Truck() {
        }

        public Truck(Long id, String name, Integer payload) {
            super(id, name);
            this.payload = payload;
        }
    }

    @Entity(name = "Account")
    @Inheritance(strategy = InheritanceType.TABLE_PER_CLASS)
    public abstract static class Account extends Named {
        protected Account() {
        }

        protected Account(Long id, String name) {
            super(id, name);
        }
    }

    @Entity(name = "SavingsAccount")
    public static class SavingsAccount extends Account {
        private Integer rate;

        protected SavingsAccount() {
        }

        public SavingsAccount(Long id, String name, Integer rate) {
            super(id, name);
            this.rate = rate;
        }
    }

    @Entity(name = "CheckingAccount")
    public static class CheckingAccount extends Account {
        private Integer overdraft;

        protected CheckingAccount() {
        }

        public CheckingAccount(Long id, String name, Integer overdraft) {
            super(id, name);
            this.overdraft = overdraft;
        }
    }
}
