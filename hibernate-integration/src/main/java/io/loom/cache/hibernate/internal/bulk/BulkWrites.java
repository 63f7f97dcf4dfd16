package io.loom.cache.hibernate.internal.bulk;

import io.loom.cache.hibernate.internal.CommitListener;
import io.loom.cache.hibernate.internal.LoomUnit;
import io.loom.cache.invalidation.EntityNames;
import org.hibernate.engine.spi.SessionFactoryImplementor;
import org.hibernate.engine.spi.SharedSessionContractImplementor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Turns the table spaces of a bulk or native mutation into whole-entity invalidations of the
 * session's transaction. One per session factory, owned by its timestamps cache; the
 * table-to-entity map is built from {@code EntityPersister.getQuerySpaces()} on first use (the
 * metamodel is complete by then).
 */
final class BulkWrites {

    private static final Logger LOG = LoggerFactory.getLogger(BulkWrites.class);

    private volatile Map<String, Set<String>> entitiesBySpace;

    /** Called for each bulk or native mutation: its spaces' entities miss entirely once the transaction commits. */
    void record(SharedSessionContractImplementor session, String[] spaces) {
        LoomUnit unit = LoomUnit.of(session.getFactory());
        CommitListener listener = unit == null ? null : unit.listener();
        if (listener == null) {
            return; // Loom is disabled for this persistence unit
        }
        Set<String> entities = entitiesOf(session.getFactory(), spaces);
        if (!entities.isEmpty()) {
            listener.invalidateEntities(session, entities);
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
