package io.loom.cache.hibernate.internal;

import io.loom.cache.invalidation.MutationEvent;
import org.hibernate.engine.spi.SharedSessionContractImplementor;
import org.hibernate.persister.entity.EntityPersister;
import org.hibernate.proxy.HibernateProxy;
import org.hibernate.type.Type;

import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Turns Hibernate's entity state arrays into {@link MutationEvent}s. Basic values are kept as
 * they are, to-one references become the referenced id (so a change of a Book's author moves the
 * value tags of the old and new Author id), collections are left out (they have their own events).
 */
final class MutationEvents {

    private MutationEvents() {
    }

    static MutationEvent insert(EntityPersister persister, Object id, Object[] state,
                                SharedSessionContractImplementor session) {
        return MutationEvent.insert(persister.getEntityName(), id, withId(persister, id,
                values(persister, state, null, session)));
    }

    static MutationEvent delete(EntityPersister persister, Object id, Object[] deletedState,
                                SharedSessionContractImplementor session) {
        return MutationEvent.delete(persister.getEntityName(), id, withId(persister, id,
                values(persister, deletedState, null, session)));
    }

    /*
     * An upsert inserted the row or updated it, and Hibernate does not say which or what it was
     * before: it is both an insert (lists and lookups that may gain the row) and an update whose
     * old values are unknown (every property may have changed; handled conservatively).
     */
    static List<MutationEvent> upsert(EntityPersister persister, Object id, Object[] state,
                                      SharedSessionContractImplementor session) {
        return List.of(insert(persister, id, state, session), update(persister, id, null, state, null, session));
    }

    static MutationEvent update(EntityPersister persister, Object id, Object[] oldState, Object[] state,
                                int[] dirty, SharedSessionContractImplementor session) {
        String[] names = persister.getPropertyNames();
        Set<String> changed = new LinkedHashSet<>();
        if (dirty != null) {
            for (int index : dirty) {
                if (!persister.getPropertyTypes()[index].isCollectionType()) {
                    changed.add(names[index]);
                }
            }
        } else {
            // Unknown dirtiness (no snapshot): every basic and to-one property may have changed.
            for (int i = 0; i < names.length; i++) {
                if (!persister.getPropertyTypes()[i].isCollectionType()) {
                    changed.add(names[i]);
                }
            }
        }
        Map<String, Object> oldValues = oldState == null ? Map.of() : values(persister, oldState, changed, session);
        Map<String, Object> newValues = state == null ? Map.of() : values(persister, state, changed, session);
        return MutationEvent.update(persister.getEntityName(), id, changed, oldValues, newValues);
    }

    private static Map<String, Object> values(EntityPersister persister, Object[] state, Set<String> only,
                                              SharedSessionContractImplementor session) {
        if (state == null) {
            return Map.of();
        }
        String[] names = persister.getPropertyNames();
        Type[] types = persister.getPropertyTypes();
        Map<String, Object> values = new HashMap<>();
        for (int i = 0; i < names.length && i < state.length; i++) {
            if (types[i].isCollectionType() || (only != null && !only.contains(names[i]))) {
                continue;
            }
            Object value = state[i];
            if (types[i].isEntityType() && value != null) {
                value = referencedId(value, session);
            }
            values.put(names[i], value);
        }
        return values;
    }

    /*
     * Hibernate's state arrays leave the identifier out, but a list may filter on it (id = 7,
     * id IN (...)): the insert of row 7 must move v:<entity>:id:7 like any other property value.
     * An absent state stays absent (unknown values are handled conservatively).
     */
    private static Map<String, Object> withId(EntityPersister persister, Object id, Map<String, Object> values) {
        String idName = persister.getIdentifierPropertyName();
        if (values.isEmpty() || idName == null || id == null) {
            return values;
        }
        Map<String, Object> all = new HashMap<>(values);
        all.put(idName, id);
        return all;
    }

    private static Object referencedId(Object entity, SharedSessionContractImplementor session) {
        if (entity instanceof HibernateProxy proxy) {
            return proxy.getHibernateLazyInitializer().getInternalIdentifier();
        }
        return session.getEntityPersister(null, entity).getIdentifier(entity, session);
    }
}
