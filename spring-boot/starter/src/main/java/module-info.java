/**
 * Loom Cache Spring Boot starter: no code of its own, it brings the auto-configuration and the
 * Hibernate integration (and with them the core) onto an application's path.
 */
module io.loom.cache.spring.starter {
    requires transitive io.loom.cache.spring;
}
