package io.loom.cache.hibernate.repository;

import io.loom.cache.repository.InvalidQueryException;
import io.loom.cache.repository.Patch;
import jakarta.persistence.EntityManager;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.RecordComponent;
import java.util.ArrayList;
import java.util.List;

/**
 * Copies a create/update record onto an entity by component name. A null component is "not set"
 * and skipped; a {@link Patch} component sets its value, null included. A component {@code foo}
 * or {@code fooId} holding an id sets relation {@code foo} to a reference to that row.
 */
final class RecordWriter {

    private record Slot(Method accessor, EntityModel.Property property, boolean relation, Class<?> valueType) {
    }

    private final EntityModel model;
    private final List<Slot> slots;

    RecordWriter(EntityModel model, Class<?> recordType) {
        if (!recordType.isRecord()) {
            throw new IllegalArgumentException("create/update type " + recordType.getName() + " must be a record");
        }
        this.model = model;
        List<Slot> list = new ArrayList<>();
        for (RecordComponent c : recordType.getRecordComponents()) {
            list.add(slot(recordType, c));
        }
        this.slots = List.copyOf(list);
    }

    private Slot slot(Class<?> recordType, RecordComponent c) {
        String name = c.getName();
        Class<?> type = c.getType();
        if (type == Patch.class) {
            type = c.getGenericType() instanceof ParameterizedType pt && pt.getActualTypeArguments()[0] instanceof Class<?> k
                    ? k : Object.class;
        }
        EntityModel.Property p = model.find(name);
        if (p == null && name.endsWith("Id") && name.length() > 2) {
            p = model.find(name.substring(0, name.length() - 2));
            if (p != null && p.kind() != EntityModel.Kind.ASSOCIATION) {
                p = null;
            }
        }
        if (p == null) {
            throw new IllegalArgumentException("component '" + name + "' of " + recordType.getSimpleName()
                    + " matches no property of entity " + model.type().getSimpleName());
        }
        Method accessor = c.getAccessor();
        accessor.setAccessible(true);
        switch (p.kind()) {
            case ASSOCIATION:
                return new Slot(accessor, p, true, p.valueType());
            case ID:
            case BASIC:
                return new Slot(accessor, p, false, p.valueType());
            default:
                throw new IllegalArgumentException("component '" + name + "' of " + recordType.getSimpleName()
                        + " maps to " + p.kind() + " property '" + p.name() + "', which cannot be written");
        }
    }

    /**
     * Applies the set components of {@code values} to {@code entity}.
     *
     * @throws InvalidQueryException when a value cannot be converted to its property's type
     */
    void apply(EntityManager em, Object values, Object entity) {
        for (Slot s : slots) {
            Object v;
            try {
                v = s.accessor().invoke(values);
            } catch (IllegalAccessException | InvocationTargetException e) {
                throw new IllegalStateException("cannot read component " + s.accessor().getName(), e);
            }
            if (v == null) {
                continue;
            }
            if (v instanceof Patch<?> patch) {
                v = patch.value();
            }
            Object converted = model.convert(s.property(), v);
            if (s.relation()) {
                converted = converted == null ? null : em.getReference(s.property().target().type(), converted);
            }
            s.property().access().set(entity, converted);
        }
    }
}
