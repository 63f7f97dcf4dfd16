package io.loom.cache.hibernate.repository;

import org.hibernate.Hibernate;

import java.lang.reflect.Field;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Member;
import java.lang.reflect.Method;
import java.util.Locale;

/** Reads and writes one persistent property of an entity by field or accessor, never initializing proxies itself. */
final class PropertyAccess {

    private final Field field;
    private final Method getter;
    private final Method setter;
    private final String name;
    /** For a property inside an embedded component: reads the component from the entity first. */
    private final PropertyAccess outer;

    private PropertyAccess(String name, Field field, Method getter, Method setter) {
        this(name, field, getter, setter, null);
    }

    private PropertyAccess(String name, Field field, Method getter, Method setter, PropertyAccess outer) {
        this.name = name;
        this.field = field;
        this.getter = getter;
        this.setter = setter;
        this.outer = outer;
    }

    /** Reads {@code inner} from the component {@code outer} reads (null when the component is null); read only. */
    static PropertyAccess through(PropertyAccess outer, PropertyAccess inner) {
        return new PropertyAccess(outer.name + "." + inner.name, inner.field, inner.getter, null, outer);
    }

    static PropertyAccess of(Class<?> owner, String name, Member member) {
        Field f = findField(owner, name);
        if (f != null) {
            f.setAccessible(true);
            return new PropertyAccess(name, f, null, null);
        }
        if (member instanceof Method m) {
            m.setAccessible(true);
            Method setter = null;
            String setterName = "set" + name.substring(0, 1).toUpperCase(Locale.ROOT) + name.substring(1);
            for (Class<?> c = owner; c != null && setter == null; c = c.getSuperclass()) {
                for (Method candidate : c.getDeclaredMethods()) {
                    if (candidate.getName().equals(setterName) && candidate.getParameterCount() == 1) {
                        setter = candidate;
                        setter.setAccessible(true);
                        break;
                    }
                }
            }
            return new PropertyAccess(name, null, m, setter);
        }
        throw new IllegalArgumentException("no field or accessor for property '" + name + "' of " + owner.getName());
    }

    private static Field findField(Class<?> owner, String name) {
        for (Class<?> c = owner; c != null && c != Object.class; c = c.getSuperclass()) {
            try {
                return c.getDeclaredField(name);
            } catch (NoSuchFieldException ignored) {
                // look in the superclass
            }
        }
        return null;
    }

    /** The property's value on a loaded (non-proxy) entity instance. */
    Object get(Object entity) {
        Object target = outer == null ? Hibernate.unproxy(entity) : outer.get(entity);
        if (target == null) {
            return null;
        }
        try {
            return field != null ? field.get(target) : getter.invoke(target);
        } catch (IllegalAccessException | InvocationTargetException e) {
            throw new IllegalStateException("cannot read property '" + name + "'", e);
        }
    }

    void set(Object entity, Object value) {
        Object target = Hibernate.unproxy(entity);
        try {
            if (field != null) {
                field.set(target, value);
            } else if (setter != null) {
                setter.invoke(target, value);
            } else {
                throw new IllegalStateException("property '" + name + "' has no setter");
            }
        } catch (IllegalAccessException | InvocationTargetException e) {
            throw new IllegalStateException("cannot write property '" + name + "'", e);
        }
    }
}
