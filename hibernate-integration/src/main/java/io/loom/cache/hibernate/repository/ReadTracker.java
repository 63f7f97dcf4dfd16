package io.loom.cache.hibernate.repository;

import io.loom.cache.invalidation.EntityNames;
import io.loom.cache.invalidation.RowRef;
import jakarta.persistence.EntityManager;
import org.hibernate.engine.spi.EntityEntry;
import org.hibernate.engine.spi.SessionImplementor;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;

/**
 * Collects, per thread, the rows in the persistence contexts of repository calls made while a
 * tracked read runs. Nested tracked reads each receive the rows of everything inside them.
 */
final class ReadTracker {

    private static final ThreadLocal<Deque<Set<RowRef>>> ACTIVE = ThreadLocal.withInitial(ArrayDeque::new);

    private ReadTracker() {
    }

    static <R> io.loom.cache.repository.ReadTracking.Tracked<R> track(Supplier<R> read) {
        Set<RowRef> rows = new HashSet<>();
        Deque<Set<RowRef>> stack = ACTIVE.get();
        stack.push(rows);
        R value;
        try {
            value = read.get();
        } finally {
            stack.pop();
        }
        return new io.loom.cache.repository.ReadTracking.Tracked<>(value, rows);
    }

    /** Adds every entity loaded in {@code em}'s persistence context to the active tracked reads. */
    static void collect(EntityManager em) {
        Deque<Set<RowRef>> stack = ACTIVE.get();
        if (stack.isEmpty()) {
            return;
        }
        SessionImplementor session = em.unwrap(SessionImplementor.class);
        Map.Entry<Object, EntityEntry>[] entries = session.getPersistenceContextInternal().reentrantSafeEntityEntries();
        Set<RowRef> found = new HashSet<>();
        for (Map.Entry<Object, EntityEntry> e : entries) {
            EntityEntry entry = e.getValue();
            if (entry.getId() != null) {
                found.add(new RowRef(EntityNames.normalize(entry.getEntityName()), EntityNames.canonicalId(entry.getId())));
            }
        }
        for (Set<RowRef> rows : stack) {
            rows.addAll(found);
        }
    }
}
