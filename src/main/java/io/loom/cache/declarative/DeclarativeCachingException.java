package io.loom.cache.declarative;

import io.loom.cache.error.LoomException;

import java.lang.reflect.Method;
import java.lang.reflect.Type;

/** A repository interface or one of its methods cannot be cached declaratively; thrown at wrap time. */
public final class DeclarativeCachingException extends LoomException {

    private static final long serialVersionUID = 1L;

    DeclarativeCachingException(String message) {
        super(message);
    }

    /** The wrapped type is a class, not an interface. */
    public static DeclarativeCachingException notAnInterface(Class<?> type) {
        return new DeclarativeCachingException(type.getName() + " is not an interface: declarative caching wraps "
                + "repository interfaces");
    }

    /** The interface lacks {@link Cached}. */
    public static DeclarativeCachingException notCached(Class<?> type) {
        return new DeclarativeCachingException(type.getName() + " is not annotated @Cached");
    }

    /** A method of a non-public interface cannot be made callable (its module does not open it). */
    public static DeclarativeCachingException notAccessible(Method method) {
        return new DeclarativeCachingException(method.getDeclaringClass().getName() + "." + method.getName()
                + " cannot be called through the proxy: make the interface public or open its package "
                + "to io.loom.cache");
    }

    /** Neither {@link Cached#entity} nor the target names the entity. */
    public static DeclarativeCachingException noEntity(Class<?> type) {
        return new DeclarativeCachingException(type.getName() + ": @Cached names no entity and the target is no "
                + "Repository; set @Cached(entity = ...)");
    }

    /** A {@link CacheQuery} method returns a type that cannot be cached ({@code why} says which part). */
    public static DeclarativeCachingException uncacheableReturn(Method method, Type type, String why) {
        return new DeclarativeCachingException("@CacheQuery method " + name(method) + " returns " + type.getTypeName()
                + ", which cannot be cached: " + why);
    }

    /** A {@link CacheQuery} method takes a parameter that cannot form a cache key. */
    public static DeclarativeCachingException uncacheableParameter(Method method, int index, Type type, String why) {
        return new DeclarativeCachingException("@CacheQuery method " + name(method) + " parameter " + index + " of type "
                + type.getTypeName() + " cannot form a cache key: " + why);
    }

    private static String name(Method method) {
        return method.getDeclaringClass().getName() + "#" + method.getName();
    }
}
