package io.loom.cache.spring.data;

import org.springframework.beans.BeanUtils;
import org.springframework.core.convert.support.DefaultConversionService;
import org.springframework.data.projection.ProjectionFactory;
import org.springframework.data.projection.SpelAwareProxyProjectionFactory;
import org.springframework.data.util.DirectFieldAccessFallbackBeanWrapper;

import java.beans.Introspector;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.LinkedHashMap;
import java.util.Map;

/*
 * An interface projection is cached as the values of its getters (a ProjectionValues record), read
 * from the entity while its EntityManager is open, and turned back into a projection proxy on each
 * read: callers never share a proxy, and nothing is kept but plain values. Only closed projections
 * of scalar properties qualify (no @Value expressions, no default methods, no nested projections);
 * BigDecimal, BigInteger and enums are stored as text so they come back exactly.
 */
/** A closed interface projection of scalar properties: how its values are captured and restored. */
final class ClosedProjection {

    /** The cached form of one projected row. */
    record ProjectionValues(Map<String, Object> values) {
    }

    private static final ProjectionFactory FACTORY = new SpelAwareProxyProjectionFactory();
    private static final DefaultConversionService CONVERSIONS = new DefaultConversionService();

    private final Class<?> type;
    private final Map<String, Class<?>> properties;

    private ClosedProjection(Class<?> type, Map<String, Class<?>> properties) {
        this.type = type;
        this.properties = properties;
    }

    /** The projection {@code type} describes, or null when it is not a closed projection of scalars. */
    static ClosedProjection of(Class<?> type) {
        if (!type.isInterface() || type.getName().startsWith("java.")) {
            return null;
        }
        Map<String, Class<?>> properties = new LinkedHashMap<>();
        for (Method method : type.getMethods()) {
            if (!Modifier.isAbstract(method.getModifiers()) || method.getParameterCount() != 0
                    || method.getAnnotations().length > 0 || !scalar(method.getReturnType())) {
                return null;
            }
            String name = method.getName();
            String bare = name.startsWith("get") && name.length() > 3 ? name.substring(3)
                    : name.startsWith("is") && name.length() > 2 ? name.substring(2) : null;
            if (bare == null) {
                return null;
            }
            properties.put(Introspector.decapitalize(bare), method.getReturnType());
        }
        return properties.isEmpty() ? null : new ClosedProjection(type, Map.copyOf(properties));
    }

    private static boolean scalar(Class<?> type) {
        return BeanUtils.isSimpleValueType(type) && !type.getName().startsWith("java.time.")
                && !java.util.Date.class.isAssignableFrom(type) && type != Class.class && type != Object.class;
    }

    /** Property names, to check against the entity. */
    java.util.Set<String> properties() {
        return properties.keySet();
    }

    /** The cached form of {@code entity}'s projected values. */
    ProjectionValues capture(Object entity) {
        DirectFieldAccessFallbackBeanWrapper wrapper = new DirectFieldAccessFallbackBeanWrapper(entity);
        Map<String, Object> values = new LinkedHashMap<>();
        properties.keySet().forEach(name -> {
            Object value = wrapper.getPropertyValue(name);
            values.put(name, value instanceof BigDecimal || value instanceof BigInteger || value instanceof Enum<?>
                    ? CONVERSIONS.convert(value, String.class) : value);
        });
        return new ProjectionValues(values);
    }

    /** A new projection proxy over cached values, each converted back to its getter's type. */
    Object restore(ProjectionValues cached) {
        Map<String, Object> values = new LinkedHashMap<>();
        properties.forEach((name, valueType) -> {
            Object value = cached.values().get(name);
            values.put(name, value == null ? null : CONVERSIONS.convert(value, valueType));
        });
        return FACTORY.createProjection(type, values);
    }
}
