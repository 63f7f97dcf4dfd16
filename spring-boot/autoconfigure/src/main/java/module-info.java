/**
 * Loom Cache for Spring Boot: auto-configuration of the cache and the Hibernate integration,
 * Spring's cache abstraction, Spring Data repositories, transactions and Actuator. Spring Data,
 * Actuator health and Micrometer are optional: each part is configured only when present.
 */
module io.loom.cache.spring {
    requires transitive io.loom.cache.hibernate;
    requires java.desktop; // java.beans, for projection property names
    requires org.slf4j;
    requires transitive spring.core;
    requires transitive spring.beans;
    requires transitive spring.context;
    requires transitive spring.tx;
    requires transitive spring.orm;
    requires transitive spring.boot;
    requires transitive spring.boot.autoconfigure;
    requires transitive spring.boot.hibernate;
    requires static spring.aop;
    requires static spring.data.commons;
    requires static spring.data.jpa;
    requires static spring.boot.health;
    requires static micrometer.core;

    exports io.loom.cache.spring.boot;
    exports io.loom.cache.spring.cache;
    exports io.loom.cache.spring.data;
    exports io.loom.cache.spring.actuate;
    exports io.loom.cache.spring.transaction;

    // Spring proxies the configuration classes and binds the properties by reflection.
    opens io.loom.cache.spring.boot to spring.core, spring.beans, spring.context;

    provides io.loom.cache.hibernate.repository.TransactionalEntityManagers
            with io.loom.cache.spring.transaction.SpringTransactionalEntityManagers;
}
