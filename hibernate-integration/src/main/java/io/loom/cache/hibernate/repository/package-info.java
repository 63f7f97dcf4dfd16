/**
 * The JPA/Hibernate implementation of the repository contract:
 * {@link io.loom.cache.hibernate.repository.JpaEntityRepository} (Criteria queries, keyset cursors,
 * loading profiles as entity graphs, record mapping, read tracking) and
 * {@link io.loom.cache.hibernate.repository.JpaTransactions} (joining a caller's unit of work).
 * Every other type here is an internal helper.
 */
package io.loom.cache.hibernate.repository;
