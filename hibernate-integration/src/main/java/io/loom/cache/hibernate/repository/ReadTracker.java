package io.loom.cache.hibernate.repository;

import io.loom.cache.hibernate.internal.EntityHierarchy;
import io.loom.cache.invalidation.CollectionRef;
import io.loom.cache.invalidation.EntityNames;
import io.loom.cache.invalidation.RowRef;
import io.loom.cache.repository.ReadTracking;
import jakarta.persistence.EntityManager;
import org.hibernate.collection.spi.PersistentCollection;
import org.hibernate.engine.spi.CollectionEntry;
import org.hibernate.engine.spi.EntityEntry;
import org.hibernate.engine.spi.SessionImplementor;
import org.hibernate.persister.collection.CollectionPersister;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;

/**
 * Collects, per thread, the rows and initialized collections in the persistence contexts of
 * repository calls made while a tracked read runs. Nested tracked reads each receive everything
 * loaded inside them.
 */
final class ReadTracker {

    private record Collected(Set<RowRef> rows, Set<CollectionRef> collections) {
        Collected() {
            this(new HashSet<>(), new HashSet<>());
        }
    }

    private static final ThreadLocal<Deque<Collected>> ACTIVE = ThreadLocal.withInitial(ArrayDeque::new);

    private ReadTracker() {
    }

    static <R> ReadTracking.Tracked<R> track(Supplier<R> read) {
        Collected collected = new Collected();
        Deque<Collected> stack = ACTIVE.get();
        stack.push(collected);
        R value;
        try {
            value = read.get();
        } finally {
            stack.pop();
        }
        return new ReadTracking.Tracked<>(value, collected.rows(), collected.collections());
    }

    /** Adds every entity and initialized collection in {@code em}'s persistence context to the active tracked reads. */
    static void collect(EntityManager em) {
        Deque<Collected> stack = ACTIVE.get();
        if (stack.isEmpty()) {
            return;
        }
        SessionImplementor session = em.unwrap(SessionImplementor.class);
        Collected found = new Collected();
        for (Map.Entry<Object, EntityEntry> e : session.getPersistenceContextInternal().reentrantSafeEntityEntries()) {
            EntityEntry entry = e.getValue();
            if (entry.getId() != null) {
                String id = EntityNames.canonicalId(entry.getId());
                // A subclass row is also a row of each entity above it (a root repository's row).
                for (String name : EntityHierarchy.names(entry.getPersister())) {
                    found.rows().add(new RowRef(name, id));
                }
            }
        }
        session.getPersistenceContextInternal().forEachCollectionEntry(
                (collection, entry) -> addCollection(collection, entry, found.collections()), false);
        for (Collected active : stack) {
            active.rows().addAll(found.rows());
            active.collections().addAll(found.collections());
        }
    }

    private static void addCollection(PersistentCollection<?> collection, CollectionEntry entry,
                                      Set<CollectionRef> into) {
        CollectionPersister persister = entry.getLoadedPersister();
        Object ownerId = entry.getLoadedKey();
        if (persister == null || ownerId == null || !collection.wasInitialized()) {
            return;
        }
        String role = persister.getRole();
        String property = role.substring(role.lastIndexOf('.') + 1);

        String elementEntity = null;
        String mappedBy = persister.getMappedByProperty();
        if (persister.isInverse() && mappedBy != null && !mappedBy.isEmpty() && persister.getElementPersister() != null) {
            elementEntity = EntityNames.normalize(persister.getElementPersister().getEntityName());
        } else {
            mappedBy = null;
        }
        // The role names the declaring entity, a change is reported under the owner row's own entity
        // (a subclass of it, perhaps): depend on the collection under every name of the family.
        for (String owner : EntityHierarchy.family(persister.getOwnerEntityPersister())) {
            into.add(new CollectionRef(owner, EntityNames.canonicalId(ownerId), property, elementEntity, mappedBy));
        }
    }
}
