/**
 * JMH benchmarks of Loom Cache against plain Hibernate and Redisson's second-level cache. Exports
 * nothing: the benchmarks run from the shaded jar on the class path.
 */
module io.loom.cache.benchmarks {
    requires io.loom.cache.hibernate;
    requires com.fasterxml.jackson.annotation;
    requires com.fasterxml.jackson.core;
    requires com.fasterxml.jackson.databind;
    requires com.zaxxer.hikari;
    requires jackson.dataformat.msgpack;
    requires jmh.core;
    requires redisson.hibernate7;
    requires java.naming;
    requires java.sql;

    // JMH and Hibernate reach the benchmark states and entities by reflection.
    opens io.loom.cache.benchmarks;
}
