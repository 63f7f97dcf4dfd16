package io.loom.cache.hibernate.internal.bulk;

import io.loom.cache.hibernate.internal.CommitListener;
import io.loom.cache.invalidation.EntityNames;
import org.hibernate.SessionFactory;
import org.hibernate.engine.spi.SessionFactoryImplementor;
import org.hibernate.engine.spi.SharedSessionContractImplementor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Turns the table spaces of a bulk or native mutation into whole-entity invalidations of the
 * session's transaction. One per integrated session factory; the table-to-entity map is built from
 * {@code EntityPersister.getQuerySpaces()} on first use (the metamodel is complete by then).
 */
public final class BulkWrites {

    private static final Logger LOG = LoggerFactory.getLogger(BulkWrites.class);
    private static final Map<SessionFactory, BulkWrites> BY_FACTORY = new ConcurrentHashMap<>();

    private final CommitListener listener;
    private volatile Map<String, Set<String>> entitiesBySpace;

    private BulkWrites(CommitListener listener) {
        this.listener = listener;
    }

    /** Routes the bulk mutations of {@code sessionFactory} to {@code listener}'s transaction buffers. */
    public static void register(SessionFactory sessionFactory, CommitListener listener) {
        BY_FACTORY.put(sessionFactory, new BulkWrites(listener));
    }

    public static void unregister(SessionFactory sessionFactory) {
        BY_FACTORY.remove(sessionFactory);
    }

    /** The commit listener of an integrated session factory, or null when Loom is not integrated with it. */
    public static CommitListener listenerOf(SessionFactory sessionFactory) {
        BulkWrites writes = BY_FACTORY.get(sessionFactory);
        return writes == null ? null : writes.listener;
    }

    /** Called for each bulk or native mutation: its spaces' entities miss entirely once the transaction commits. */
    static void record(SharedSessionContractImplementor session, String[] spaces) {
        BulkWrites writes = BY_FACTORY.get(session.getFactory());
        if (writes == null) {
            return; // Loom is disabled for this persistence unit
        }
        Set<String> entities = writes.entitiesOf(session.getFactory(), spaces);
        if (!entities.isEmpty()) {
            writes.listener.invalidateEntities(session, entities);
        }
    }

    Set<String> entitiesOf(SessionFactoryImplementor factory, String[] spaces) {
        Map<String, Set<String>> bySpace = entitiesBySpace;
        if (bySpace == null) {
            bySpace = spaceMap(factory);
            entitiesBySpace = bySpace;
        }
        Set<String> entities = new LinkedHashSet<>();
        for (String space : spaces) {
            Set<String> mapped = bySpace.get(key(space));
            if (mapped == null) {
                mapped = bySpace.get(key(unqualified(space)));
            }
            if (mapped == null) {
                LOG.debug("Loom Cache: table space {} of a bulk mutation maps to no entity", space);
                continue;
            }
            entities.addAll(mapped);
        }
        return entities;
    }

    private static Map<String, Set<String>> spaceMap(SessionFactoryImplementor factory) {
        Map<String, Set<String>> bySpace = new HashMap<>();
        factory.getMappingMetamodel().forEachEntityDescriptor(persister -> {
            String entity = EntityNames.normalize(persister.getEntityName());
            for (Object space : persister.getQuerySpaces()) {
                String name = space.toString();
                bySpace.computeIfAbsent(key(name), k -> new LinkedHashSet<>()).add(entity);
                bySpace.computeIfAbsent(key(unqualified(name)), k -> new LinkedHashSet<>()).add(entity);
            }
        });
        return Map.copyOf(bySpace);
    }

    private static String key(String space) {
        return space.replace("\"", "").replace("`", "").toLowerCase(Locale.ROOT);
    }

    private static String unqualified(String space) {
        return space.substring(space.lastIndexOf('.') + 1);
    }
}
