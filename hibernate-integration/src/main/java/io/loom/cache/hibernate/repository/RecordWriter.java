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
 * or {@code fooId} holding an id sets relation {@code foo} to a reference to that row. A nested
 * record for an {@code @Embedded} component sets the component's properties it names (its null
 * components are skipped too), creating the component when it is null.
 */
final class RecordWriter {

    /** @param component for a nested record onto an embedded component: its writer, else null */
    private record Slot(Method accessor, EntityModel.Property property, boolean relation, Class<?> valueType,
                        ComponentWriter component) {
        Slot(Method accessor, EntityModel.Property property, boolean relation, Class<?> valueType) {
            this(accessor, property, relation, valueType, null);
        }
    }

    /**
     * Copies a nested record onto an embedded component: null components are skipped, a
     * {@link Patch} sets its value; a missing component instance is created first.
     */
    private record ComponentWriter(EntityModel.Property embedded, List<Slot> parts) {

        static ComponentWriter of(EntityModel.Property embedded, Class<?> recordType, String owner) {
            RecordMapper.validateWritable(embedded, recordType, owner);
            List<Slot> parts = new ArrayList<>();
            for (RecordComponent c : recordType.getRecordComponents()) {
                EntityModel.Property part = embedded.parts().get(c.getName());
                Method accessor = c.getAccessor();
                accessor.setAccessible(true);
                parts.add(part.kind() == EntityModel.Kind.EMBEDDED && c.getType().isRecord()
                        ? new Slot(accessor, part, false, part.valueType(), of(part, c.getType(), owner + "." + c.getName()))
                        : new Slot(accessor, part, false, part.valueType()));
            }
            return new ComponentWriter(embedded, List.copyOf(parts));
        }

        void apply(Object values, Object owner, PropertyAccess ownerAccess) {
            Object target = ownerAccess.get(owner);
            if (target == null) {
                target = EntityModel.instantiate(embedded.javaType(), "embeddable");
            }
            for (Slot s : parts) {
                Object v = read(s, values);
                if (v == null) {
                    continue;
                }
                if (s.component() != null) {
                    s.component().apply(v instanceof Patch<?> patch ? patch.value() : v, target, s.property().access());
                    continue;
                }
                if (v instanceof Patch<?> patch) {
                    v = patch.value();
                }
                s.property().access().set(target, ValueConverter.convert(v, s.valueType()));
            }
            ownerAccess.set(owner, target);
        }
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
            case EMBEDDED:
                if (type.isRecord()) {
                    return new Slot(accessor, p, false, p.valueType(), ComponentWriter.of(p, type, name));
                }
                if (type.isAssignableFrom(p.javaType())) {
                    return new Slot(accessor, p, false, p.valueType());
                }
                throw new IllegalArgumentException("component '" + name + "' of " + recordType.getSimpleName()
                        + " must be a record of the properties of embeddable " + p.javaType().getSimpleName()
                        + ", or that class");
            default:
                throw new IllegalArgumentException("component '" + name + "' of " + recordType.getSimpleName()
                        + " maps to " + p.kind() + " property '" + p.name() + "', which cannot be written");
        }
    }

    private static Object read(Slot s, Object values) {
        try {
            return s.accessor().invoke(values);
        } catch (IllegalAccessException | InvocationTargetException e) {
            throw new IllegalStateException("cannot read component " + s.accessor().getName(), e);
        }
    }

    /**
     * Applies the set components of {@code values} to {@code entity}.
     *
     * @throws InvalidQueryException when a value cannot be converted to its property's type
     */
    void apply(EntityManager em, Object values, Object entity) {
        for (Slot s : slots) {
            Object v = read(s, values);
            if (v == null) {
                continue;
            }
            if (v instanceof Patch<?> patch) {
                v = patch.value();
            }
            if (s.component() != null) {
                if (v == null) {
                    s.property().access().set(entity, null);    // Patch.of(null) clears the component
                } else {
                    s.component().apply(v, entity, s.property().access());
                }
                continue;
            }
            Object converted = model.convert(s.property(), v);
            if (s.relation()) {
                converted = converted == null ? null : em.getReference(s.property().target().type(), converted);
            }
            s.property().access().set(entity, converted);
        }
    }
}
