package io.loom.cache.hibernate.repository;

import org.hibernate.Hibernate;
import org.hibernate.proxy.HibernateProxy;

import java.lang.reflect.Constructor;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.RecordComponent;
import java.lang.reflect.Type;
import java.util.ArrayList;
import java.util.Collection;
import java.util.IdentityHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Maps entities to output records by component name. A component named like a property takes its
 * value; a record-typed component takes the related entity mapped recursively, and a
 * {@code List}/{@code Set} of records takes a mapped collection - but only when the loading profile
 * names that relation: any other relation maps to null and is never touched, so the output of a
 * profile does not depend on what else the persistence context holds. A component
 * {@code fooId} (or {@code foo} of the target's id type) takes the id of relation {@code foo}
 * without loading it. A relation that leads back to an entity being mapped maps to null. An
 * {@code @Embedded} component maps to a record of its properties (matched by name, nested
 * components to nested records) or to a detached copy of the embeddable class itself.
 */
final class RecordMapper {

    private enum How { VALUE, RELATION_ID, RELATION_RECORD, COLLECTION_RECORDS, COLLECTION_VALUES, EMBEDDED_RECORD, EMBEDDED_COPY }

    private record Slot(How how, EntityModel.Property property, Class<?> type, Class<?> elementRecord,
                        boolean asSet) {
    }

    private record Plan(Constructor<?> constructor, List<Slot> slots) {
    }

    private final EntityModel.Registry models;
    private final Map<List<Class<?>>, Plan> plans = new ConcurrentHashMap<>();
    private final Map<Class<?>, Constructor<?>> componentConstructors = new ConcurrentHashMap<>();

    RecordMapper(EntityModel.Registry models) {
        this.models = models;
    }

    /**
     * Checks that {@code recordType} can be mapped from {@code entityType}.
     *
     * @throws IllegalArgumentException naming the component that matches nothing
     */
    void validate(Class<?> entityType, Class<?> recordType) {
        plan(models.of(entityType), recordType);
    }

    /** Maps {@code entity}, following only the relations of {@code profile}. */
    <O> O map(Object entity, Class<O> recordType, LoadingProfile profile) {
        return recordType.cast(map(entity, recordType, profile.relations(), new IdentityHashMap<>()));
    }

    private Object map(Object entity, Class<?> recordType, Map<String, LoadingProfile.Node> loaded,
                       IdentityHashMap<Object, Boolean> active) {
        Object real = Hibernate.unproxy(entity);
        EntityModel model = models.of(Hibernate.getClass(real));
        Plan plan = plan(model, recordType);
        active.put(real, Boolean.TRUE);
        try {
            Object[] args = new Object[plan.slots().size()];
            for (int i = 0; i < args.length; i++) {
                args[i] = value(real, plan.slots().get(i), loaded, active);
            }
            return plan.constructor().newInstance(args);
        } catch (InstantiationException | IllegalAccessException | InvocationTargetException e) {
            throw new IllegalStateException("cannot construct " + recordType.getName(), e);
        } finally {
            active.remove(real);
        }
    }

    private Object value(Object entity, Slot slot, Map<String, LoadingProfile.Node> loaded,
                         IdentityHashMap<Object, Boolean> active) {
        LoadingProfile.Node node = loaded.get(slot.property().name());
        boolean relation = slot.how() == How.RELATION_RECORD || slot.how() == How.COLLECTION_RECORDS
                || slot.how() == How.COLLECTION_VALUES;
        if (relation && node == null) {
            return null;
        }
        Object v = slot.property().access().get(entity);
        switch (slot.how()) {
            case VALUE:
                if (v == null && slot.type().isPrimitive()) {
                    throw new IllegalStateException("null value for primitive component " + slot.property().name());
                }
                return ValueConverter.convert(v, slot.type());
            case RELATION_ID:
                if (v == null) {
                    return null;
                }
                Object id = v instanceof HibernateProxy p ? p.getHibernateLazyInitializer().getIdentifier()
                        : slot.property().target().id().access().get(v);
                return ValueConverter.convert(id, slot.type());
            case RELATION_RECORD:
                if (v == null || !Hibernate.isInitialized(v) || active.containsKey(Hibernate.unproxy(v))) {
                    return null;
                }
                return map(v, slot.type(), node.children(), active);
            case EMBEDDED_RECORD:
                return v == null ? null : component(v, slot.property(), slot.type());
            case EMBEDDED_COPY:
                return v == null ? null : copy(v, slot.property());
            case COLLECTION_RECORDS:
            case COLLECTION_VALUES:
                if (v == null || !Hibernate.isInitialized(v)) {
                    return null;
                }
                Collection<?> source = (Collection<?>) v;
                Collection<Object> out = slot.asSet() ? new LinkedHashSet<>() : new ArrayList<>(source.size());
                for (Object element : source) {
                    if (slot.how() == How.COLLECTION_VALUES) {
                        out.add(element);
                    } else if (Hibernate.isInitialized(element) && !active.containsKey(Hibernate.unproxy(element))) {
                        out.add(map(element, slot.elementRecord(), node.children(), active));
                    }
                }
                return slot.asSet() ? Set.copyOf(out) : List.copyOf(out);
            default:
                throw new IllegalStateException(slot.how().name());
        }
    }

    /** Maps an embedded component instance to a record of its properties, matched by component name. */
    private Object component(Object value, EntityModel.Property embedded, Class<?> recordType) {
        RecordComponent[] components = recordType.getRecordComponents();
        Object[] args = new Object[components.length];
        for (int i = 0; i < components.length; i++) {
            EntityModel.Property part = embedded.parts().get(components[i].getName());
            Object v = part.access().get(value);
            Class<?> type = components[i].getType();
            args[i] = part.kind() == EntityModel.Kind.EMBEDDED && type.isRecord()
                    ? (v == null ? null : component(v, part, type)) : ValueConverter.convert(v, type);
        }
        try {
            return componentConstructor(recordType).newInstance(args);
        } catch (InstantiationException | IllegalAccessException | InvocationTargetException e) {
            throw new IllegalStateException("cannot construct " + recordType.getName(), e);
        }
    }

    /** A detached copy of an embedded component (the output must not share the entity's instance). */
    private static Object copy(Object value, EntityModel.Property embedded) {
        Object copy;
        try {
            var constructor = embedded.javaType().getDeclaredConstructor();
            constructor.setAccessible(true);
            copy = constructor.newInstance();
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("embeddable " + embedded.javaType().getName()
                    + " needs a no-argument constructor", e);
        }
        for (EntityModel.Property part : embedded.parts().values()) {
            Object v = part.access().get(value);
            part.access().set(copy, v != null && part.kind() == EntityModel.Kind.EMBEDDED ? copy(v, part) : v);
        }
        return copy;
    }

    private Constructor<?> componentConstructor(Class<?> recordType) {
        return componentConstructors.computeIfAbsent(recordType, r -> {
            Class<?>[] types = java.util.Arrays.stream(r.getRecordComponents()).map(RecordComponent::getType)
                    .toArray(Class<?>[]::new);
            try {
                Constructor<?> constructor = r.getDeclaredConstructor(types);
                constructor.setAccessible(true);
                return constructor;
            } catch (NoSuchMethodException e) {
                throw new IllegalArgumentException("no canonical constructor on " + r.getName(), e);
            }
        });
    }

    /**
     * Checks that every component of {@code recordType} names a property of the embedded component
     * with a compatible type (a nested record for a nested component).
     */
    static void validateComponent(EntityModel.Property embedded, Class<?> recordType, String owner) {
        for (RecordComponent c : recordType.getRecordComponents()) {
            String where = owner + "." + c.getName();
            EntityModel.Property part = partOf(embedded, c, recordType, where);
            if (part.kind() == EntityModel.Kind.EMBEDDED && c.getType().isRecord()) {
                validateComponent(part, c.getType(), where);
            } else if (part.kind() != EntityModel.Kind.BASIC || !compatible(c.getType(), part.valueType())) {
                throw new IllegalArgumentException("component '" + where + "' of " + recordType.getSimpleName()
                        + " must be " + part.valueType().getSimpleName());
            }
        }
    }

    /** The property of {@code embedded} that component {@code c} names; rejected when there is none. */
    private static EntityModel.Property partOf(EntityModel.Property embedded, RecordComponent c, Class<?> recordType,
                                               String where) {
        EntityModel.Property part = embedded.parts().get(c.getName());
        if (part == null) {
            throw new IllegalArgumentException("component '" + where + "' of " + recordType.getSimpleName()
                    + " matches no property of embeddable " + embedded.javaType().getSimpleName()
                    + " (it has " + new java.util.TreeSet<>(embedded.parts().keySet()) + ")");
        }
        return part;
    }

    /** Like {@link #validateComponent}, for a create/update record ({@code Patch<T>} components allowed). */
    static void validateWritable(EntityModel.Property embedded, Class<?> recordType, String owner) {
        for (RecordComponent c : recordType.getRecordComponents()) {
            String where = owner + "." + c.getName();
            EntityModel.Property part = partOf(embedded, c, recordType, where);
            Class<?> type = c.getType() == io.loom.cache.repository.Patch.class ? patchArgument(c) : c.getType();
            boolean nested = part.kind() == EntityModel.Kind.EMBEDDED && type.isRecord();
            if (!nested && (part.kind() != EntityModel.Kind.BASIC || !compatible(type, part.valueType()))) {
                throw new IllegalArgumentException("component '" + where + "' of " + recordType.getSimpleName()
                        + " must be " + part.valueType().getSimpleName());
            }
        }
    }

    private static Class<?> patchArgument(RecordComponent c) {
        return c.getGenericType() instanceof ParameterizedType pt && pt.getActualTypeArguments()[0] instanceof Class<?> k
                ? k : Object.class;
    }

    private static boolean compatible(Class<?> component, Class<?> valueType) {
        Class<?> boxed = ValueConverter.box(component);
        return boxed.isAssignableFrom(valueType)
                || (Number.class.isAssignableFrom(boxed) && Number.class.isAssignableFrom(valueType));
    }

    private Plan plan(EntityModel model, Class<?> recordType) {
        List<Class<?>> key = List.of(model.type(), recordType);
        Plan plan = plans.get(key);
        if (plan == null) {
            plan = buildPlan(model, recordType);
            plans.put(key, plan);
        }
        return plan;
    }

    private Plan buildPlan(EntityModel model, Class<?> recordType) {
        if (!recordType.isRecord()) {
            throw new IllegalArgumentException("output type " + recordType.getName() + " is not a record;"
                    + " give the repository a mapper for it");
        }
        RecordComponent[] components = recordType.getRecordComponents();
        Class<?>[] types = new Class<?>[components.length];
        List<Slot> slots = new ArrayList<>();
        for (int i = 0; i < components.length; i++) {
            types[i] = components[i].getType();
            slots.add(slot(model, recordType, components[i]));
        }
        try {
            Constructor<?> constructor = recordType.getDeclaredConstructor(types);
            constructor.setAccessible(true);
            Plan plan = new Plan(constructor, List.copyOf(slots));
            plans.put(List.of(model.type(), recordType), plan);    // before nested plans: cycles
            for (Slot s : slots) {
                if (s.how() == How.RELATION_RECORD) {
                    plan(s.property().target(), s.type());
                } else if (s.how() == How.COLLECTION_RECORDS) {
                    plan(s.property().target(), s.elementRecord());
                }
            }
            return plan;
        } catch (NoSuchMethodException e) {
            throw new IllegalArgumentException("no canonical constructor on " + recordType.getName(), e);
        }
    }

    private Slot slot(EntityModel model, Class<?> recordType, RecordComponent c) {
        String name = c.getName();
        Class<?> type = c.getType();
        EntityModel.Property p = model.find(name);
        if (p == null && name.endsWith("Id") && name.length() > 2) {
            EntityModel.Property relation = model.find(name.substring(0, name.length() - 2));
            if (relation != null && relation.kind() == EntityModel.Kind.ASSOCIATION) {
                return new Slot(How.RELATION_ID, relation, type, null, false);
            }
        }
        if (p == null) {
            throw new IllegalArgumentException("component '" + name + "' of " + recordType.getSimpleName()
                    + " matches no property of entity " + model.type().getSimpleName());
        }
        switch (p.kind()) {
            case ASSOCIATION:
                if (type.isRecord()) {
                    return new Slot(How.RELATION_RECORD, p, type, null, false);
                }
                if (ValueConverter.box(type) == p.valueType()) {
                    return new Slot(How.RELATION_ID, p, type, null, false);
                }
                throw incompatible(recordType, name, "a record or the related id type " + p.valueType().getSimpleName());
            case COLLECTION:
                if (type != List.class && type != Set.class && type != Collection.class) {
                    throw incompatible(recordType, name, "List, Set or Collection");
                }
                Class<?> element = elementType(c.getGenericType());
                boolean asSet = type == Set.class;
                if (p.target() != null) {
                    if (element == null || !element.isRecord()) {
                        throw incompatible(recordType, name, "a collection of records");
                    }
                    return new Slot(How.COLLECTION_RECORDS, p, type, element, asSet);
                }
                return new Slot(How.COLLECTION_VALUES, p, type, null, asSet);
            case ID:
            case BASIC:
                if (!compatible(type, p.valueType())) {
                    throw incompatible(recordType, name, p.valueType().getSimpleName());
                }
                return new Slot(How.VALUE, p, type, null, false);
            case EMBEDDED:
                if (type.isRecord()) {
                    validateComponent(p, type, name);
                    return new Slot(How.EMBEDDED_RECORD, p, type, null, false);
                }
                if (type.isAssignableFrom(p.javaType())) {
                    return new Slot(How.EMBEDDED_COPY, p, type, null, false);
                }
                throw incompatible(recordType, name, "a record of the properties of embeddable "
                        + p.javaType().getSimpleName() + ", or that class");
            default:
                return new Slot(How.VALUE, p, type, null, false);
        }
    }

    private static Class<?> elementType(Type generic) {
        if (generic instanceof ParameterizedType pt && pt.getActualTypeArguments()[0] instanceof Class<?> c) {
            return c;
        }
        return null;
    }

    private static IllegalArgumentException incompatible(Class<?> recordType, String name, String expected) {
        return new IllegalArgumentException("component '" + name + "' of " + recordType.getSimpleName()
                + " must be " + expected);
    }
}
