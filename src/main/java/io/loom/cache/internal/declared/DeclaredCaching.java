package io.loom.cache.internal.declared;

import io.loom.cache.config.CacheConfig;
import io.loom.cache.declarative.CacheQuery;
import io.loom.cache.declarative.Cached;
import io.loom.cache.declarative.DeclarativeCachingException;
import io.loom.cache.internal.read.Lookup;
import io.loom.cache.internal.read.ReadDependencies;
import io.loom.cache.internal.read.StampedCache;
import io.loom.cache.invalidation.DependencyResolver;
import io.loom.cache.invalidation.EntityNames;
import io.loom.cache.invalidation.ListScope;
import io.loom.cache.invalidation.TagValues;
import io.loom.cache.invalidation.Tags;
import io.loom.cache.repository.ReadSnapshot;
import io.loom.cache.repository.ReadTracking;
import io.loom.cache.repository.Repository;
import io.loom.cache.serialization.MsgpackSerializer;

import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.lang.reflect.Proxy;
import java.util.Arrays;
import java.util.Base64;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/*
 * Keys: <entity>:decl:<digest of method signature (with the value type's schema) | msgpack of the
 * arguments>. Tags: LIST depends on listTags(entity, opaque) = e:, l:, u: of the entity (the
 * filter is unknown: any insert, update or delete misses it) plus every row and collection the
 * target reports through ReadTracking. SINGLE depends on e:<entity> and the reported rows; when
 * the target does not track reads, or found nothing, also on l: and u: (an insert or update may
 * make a row match). Loads run through StampedCache, so the write-epoch guard and single flight
 * apply exactly as for CachedRepository. Entities a method reads beyond its own are learned: the
 * first load that reads one is not stored, and later misses watch that entity's epoch too.
 */
/**
 * Builds the declarative caching proxies. Internal: use {@link io.loom.cache.LoomCache#wrapDeclared}.
 */
public final class DeclaredCaching {

    private DeclaredCaching() {
    }

    /**
     * Internal: see {@link io.loom.cache.LoomCache#wrapDeclared}.
     *
     * @throws DeclarativeCachingException when the interface or one of its {@link CacheQuery} methods cannot be cached
     */
    public static <R> R proxy(Class<R> repositoryInterface, R target, StampedCache cache, DependencyResolver resolver,
                              CacheConfig config, MsgpackSerializer serializer) {
        Objects.requireNonNull(repositoryInterface, "repositoryInterface");
        Objects.requireNonNull(target, "target");
        if (!repositoryInterface.isInterface()) {
            throw DeclarativeCachingException.notAnInterface(repositoryInterface);
        }
        Cached cached = repositoryInterface.getAnnotation(Cached.class);
        if (cached == null) {
            throw DeclarativeCachingException.notCached(repositoryInterface);
        }
        String entity = entityOf(repositoryInterface, cached, target);
        Map<Method, DeclaredMethod> methods = new HashMap<>();
        for (Method method : repositoryInterface.getMethods()) {
            CacheQuery query = method.getAnnotation(CacheQuery.class);
            if (query != null) {
                methods.put(method, DeclaredMethod.of(method, query, entity, config, serializer));
            }
        }
        if (!config.enabled()) {
            return target;
        }
        Handler handler = new Handler(target, entity, Map.copyOf(methods), callable(repositoryInterface),
                cache, resolver, serializer);
        Object proxy = Proxy.newProxyInstance(repositoryInterface.getClassLoader(),
                new Class<?>[] {repositoryInterface}, handler);
        return repositoryInterface.cast(proxy);
    }

    /*
     * The proxy calls the target through the interface's methods; those of a non-public interface
     * (a repository declared package-private) are callable only once made accessible.
     */
    private static Map<Method, Method> callable(Class<?> repositoryInterface) {
        Map<Method, Method> callable = new HashMap<>();
        for (Method method : repositoryInterface.getMethods()) {
            if (!Modifier.isPublic(method.getDeclaringClass().getModifiers())) {
                if (!method.trySetAccessible()) {
                    throw DeclarativeCachingException.notAccessible(method);
                }
                callable.put(method, method);
            }
        }
        return Map.copyOf(callable);
    }

    private static String entityOf(Class<?> type, Cached cached, Object target) {
        if (!cached.entity().isBlank()) {
            return EntityNames.normalize(cached.entity());
        }
        if (target instanceof Repository<?, ?, ?, ?> repository) {
            return repository.entityName();
        }
        throw DeclarativeCachingException.noEntity(type);
    }

    private static final class Handler implements InvocationHandler {
        private final Object target;
        private final String entity;
        private final Map<Method, DeclaredMethod> methods;
        /** Accessible copies of the methods of non-public interfaces. */
        private final Map<Method, Method> callable;
        private final StampedCache cache;
        private final DependencyResolver resolver;
        private final MsgpackSerializer serializer;
        private final ReadTracking tracking;

        Handler(Object target, String entity, Map<Method, DeclaredMethod> methods, Map<Method, Method> callable,
                StampedCache cache, DependencyResolver resolver, MsgpackSerializer serializer) {
            this.target = target;
            this.entity = entity;
            this.methods = methods;
            this.callable = callable;
            this.cache = cache;
            this.resolver = resolver;
            this.serializer = serializer;
            this.tracking = target instanceof ReadTracking t ? t : null;
        }

        @Override
        public Object invoke(Object proxy, Method method, Object[] args) throws Throwable {
            if (method.getDeclaringClass() == Object.class) {
                return switch (method.getName()) {
                    case "equals" -> proxy == args[0];
                    case "hashCode" -> System.identityHashCode(proxy);
                    case "toString" -> "Cached[" + target + "]";
                    default -> call(method, args);
                };
            }
            DeclaredMethod declared = methods.get(method);
            if (declared == null) {
                return call(method, args);
            }
            try {
                return cached(declared, method, args == null ? new Object[0] : args);
            } catch (TargetFailure failure) {
                throw failure.getCause();
            }
        }

        private Object cached(DeclaredMethod declared, Method method, Object[] args) {
            String arguments = Base64.getEncoder().encodeToString(serializer.dumps(Arrays.asList(args)));
            String key = entity + ":decl:" + TagValues.hash(declared.signature() + "|" + arguments);
            boolean list = declared.scope() == CacheQuery.Scope.LIST;
            Set<String> tags = list ? resolver.listTags(entity, ListScope.opaqueQuery()) : Set.of(Tags.entity(entity));
            // The snapshot rule applies as for CachedRepository: a target reading in a caller's
            // unit of work reports it, and its loads are then not stored.
            ReadSnapshot snapshot = tracking == null ? ReadSnapshot.FRESH : tracking.readSnapshot();
            Object value = cache.get(new Lookup<>(entity, key, Set.copyOf(declared.watched()), tags, declared.ttl(),
                    declared.absentTtl(), declared.codec(), () -> load(declared, method, args), false, snapshot));
            return declared.optional() ? Optional.ofNullable(value) : value;
        }

        private Lookup.Loaded<Object> load(DeclaredMethod declared, Method method, Object[] args) {
            boolean single = declared.scope() == CacheQuery.Scope.SINGLE;
            if (tracking == null) {
                return ReadDependencies.untracked(unwrap(declared, invokeTarget(method, args)), entity);
            }
            ReadTracking.Tracked<Object> tracked = tracking.tracked(() -> invokeTarget(method, args));
            Object value = unwrap(declared, tracked.value());
            Lookup.Loaded<Object> read = ReadDependencies.tracked(value, tracked, entity);
            Set<String> tags = new LinkedHashSet<>(read.tags());
            Set<String> entities = read.entitiesRead();
            if (single && (value == null || tracked.rows().isEmpty())) {
                tags.add(Tags.membership(entity));
                tags.add(Tags.anyUpdate(entity));
            }
            declared.watched().addAll(entities); // a load reading beyond them is not stored; the next one is
            return Lookup.Loaded.of(value, tags, entities);
        }

        private static Object unwrap(DeclaredMethod declared, Object value) {
            return declared.optional() && value != null ? ((Optional<?>) value).orElse(null) : value;
        }

        private Object invokeTarget(Method method, Object[] args) {
            try {
                return callable.getOrDefault(method, method).invoke(target, args);
            } catch (InvocationTargetException e) {
                throw new TargetFailure(e.getCause());
            } catch (IllegalAccessException e) {
                throw new IllegalStateException("cannot call " + method + " on " + target.getClass().getName(), e);
            }
        }

        private Object call(Method method, Object[] args) throws Throwable {
            try {
                return callable.getOrDefault(method, method).invoke(target, args);
            } catch (InvocationTargetException e) {
                throw e.getCause();
            }
        }
    }

    /** Carries the target's own exception through the cache unchanged. */
    private static final class TargetFailure extends RuntimeException {
        private static final long serialVersionUID = 1L;

        TargetFailure(Throwable cause) {
            super(null, cause, false, false);
        }
    }
}
