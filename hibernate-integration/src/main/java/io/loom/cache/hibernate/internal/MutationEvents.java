package io.loom.cache.hibernate.internal;

import io.loom.cache.invalidation.MutationEvent;
import org.hibernate.engine.spi.SharedSessionContractImplementor;
import org.hibernate.persister.entity.EntityPersister;
import org.hibernate.proxy.HibernateProxy;
import org.hibernate.type.CompositeType;
import org.hibernate.type.Type;

import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Turns Hibernate's entity state arrays into {@link MutationEvent}s. Basic values are kept as
 * they are, to-one references become the referenced id (so a change of a Book's author moves the
 * value tags of the old and new Author id), collections are left out (they have their own events),
 * embedded components are spread into their properties by dotted path ({@code address.city}).
 * A change of a subclass row gives one event per name of its hierarchy ({@link EntityHierarchy}).
 */
final class MutationEvents {

    private MutationEvents() {
    }

    static List<MutationEvent> insert(EntityPersister persister, Object id, Object[] state,
                                      SharedSessionContractImplementor session) {
        Map<String, Object> values = withId(persister, id, values(persister, state, null, session));
        return EntityHierarchy.names(persister).stream().map(name -> MutationEvent.insert(name, id, values)).toList();
    }

    static List<MutationEvent> delete(EntityPersister persister, Object id, Object[] deletedState,
                                      SharedSessionContractImplementor session) {
        Map<String, Object> values = withId(persister, id, values(persister, deletedState, null, session));
        return EntityHierarchy.names(persister).stream().map(name -> MutationEvent.delete(name, id, values)).toList();
    }

    /*
     * An upsert inserted the row or updated it, and Hibernate does not say which or what it was
     * before: it is both an insert (lists and lookups that may gain the row) and an update whose
     * old values are unknown (every property may have changed; handled conservatively).
     */
    static List<MutationEvent> upsert(EntityPersister persister, Object id, Object[] state,
                                      SharedSessionContractImplementor session) {
        List<MutationEvent> events = new java.util.ArrayList<>(insert(persister, id, state, session));
        events.addAll(update(persister, id, null, state, null, session));
        return events;
    }

    static List<MutationEvent> update(EntityPersister persister, Object id, Object[] oldState, Object[] state,
                                      int[] dirty, SharedSessionContractImplementor session) {
        MutationEvent event = updateOf(persister.getEntityName(), persister, id, oldState, state, dirty, session);
        return EntityHierarchy.names(persister).stream().map(name -> new MutationEvent(name, event.operation(),
                event.id(), event.changedProperties(), event.oldValues(), event.newValues())).toList();
    }

    private static MutationEvent updateOf(String entityName, EntityPersister persister, Object id, Object[] oldState,
                                        Object[] state, int[] dirty, SharedSessionContractImplementor session) {
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
        return MutationEvent.update(entityName, id, flatten(changed, oldValues, newValues), oldValues, newValues);
    }

    /*
     * An embedded component's values are published by dotted path (address.city), the names lists
     * filter and sort on. A changed component is reported as the paths whose values differ (all of
     * them when either state is unknown), not as the component itself.
     */
    private static Set<String> flatten(Set<String> changed, Map<String, Object> oldValues,
                                       Map<String, Object> newValues) {
        Set<String> out = new LinkedHashSet<>();
        for (String property : changed) {
            if (oldValues.containsKey(property) || newValues.containsKey(property)) {
                out.add(property);
            }
            String prefix = property + ".";
            Set<String> parts = new LinkedHashSet<>();
            oldValues.keySet().stream().filter(k -> k.startsWith(prefix)).forEach(parts::add);
            newValues.keySet().stream().filter(k -> k.startsWith(prefix)).forEach(parts::add);
            boolean known = !oldValues.isEmpty() && !newValues.isEmpty();
            for (String part : parts) {
                if (!known || !java.util.Objects.equals(oldValues.get(part), newValues.get(part))) {
                    out.add(part);
                }
            }
            if (parts.isEmpty() && !oldValues.containsKey(property) && !newValues.containsKey(property)) {
                out.add(property);     // unknown values: the property itself, handled conservatively
            }
        }
        return out;
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
            put(values, names[i], types[i], state[i], session);
        }
        return values;
    }

    private static void put(Map<String, Object> values, String name, Type type, Object value,
                            SharedSessionContractImplementor session) {
        if (type instanceof CompositeType component && !type.isEntityType()) {
            String[] parts = component.getPropertyNames();
            Type[] partTypes = component.getSubtypes();
            Object[] partValues = value == null ? new Object[parts.length] : component.getPropertyValues(value, session);
            for (int j = 0; j < parts.length; j++) {
                if (!partTypes[j].isCollectionType()) {
                    put(values, name + "." + parts[j], partTypes[j], partValues[j], session);
                }
            }
            return;
        }
        values.put(name, type.isEntityType() && value != null ? referencedId(value, session) : value);
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
