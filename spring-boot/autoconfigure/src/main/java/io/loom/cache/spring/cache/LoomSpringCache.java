package io.loom.cache.spring.cache;

import io.loom.cache.LoomCache;
import io.loom.cache.hibernate.repository.JpaTransactions;
import jakarta.persistence.EntityManagerFactory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.cache.Cache;
import org.springframework.cache.support.SimpleValueWrapper;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicBoolean;

/*
 * Every entry depends on the cache's own synthetic entity (spring_cache_<name>, which evict and
 * clear invalidate) and on the entities it declares; any committed insert, update or delete of one
 * of them misses every entry, with no @CacheEvict. Loads go through LoomCache#getOrLoad, so a load
 * during which such a write committed is not stored. That guarantee needs the load to run inside
 * the cache read, which Spring does for @Cacheable(sync = true) only: without sync Spring computes
 * the value first and put()s it afterwards, too late to know whether a write raced it, so put()
 * stores nothing (logged once). Inside a transaction nothing is read or stored: the value could
 * reflect the transaction's uncommitted changes.
 */
/** One Spring cache served by Loom. Thread-safe. */
final class LoomSpringCache implements Cache {

    private static final Logger LOG = LoggerFactory.getLogger(LoomSpringCache.class);

    private final String name;
    private final String ownEntity;
    private final List<String> entities;
    private final Duration ttl;
    private final LoomCache cache;
    private final EntityManagerFactory emf;
    private final AtomicBoolean putLogged = new AtomicBoolean();

    LoomSpringCache(String name, List<String> entities, Duration ttl, LoomCache cache, EntityManagerFactory emf) {
        this.name = name;
        this.ownEntity = "spring_cache_" + name;
        this.entities = new java.util.ArrayList<>(List.of(ownEntity));
        this.entities.addAll(entities);
        this.ttl = ttl != null ? ttl : cache.config().ttlForList(ownEntity);
        this.cache = cache;
        this.emf = emf;
    }

    @Override
    public String getName() {
        return name;
    }

    @Override
    public Object getNativeCache() {
        return cache;
    }

    @Override
    public ValueWrapper get(Object key) {
        if (inTransaction()) {
            return null;
        }
        TypedValue stored = read(key, () -> null); // a miss loads nothing and stores nothing
        Object value = decode(stored);
        return value == null ? null : new SimpleValueWrapper(value);
    }

    @Override
    public <T> T get(Object key, Class<T> type) {
        ValueWrapper wrapper = get(key);
        return wrapper == null ? null : type.cast(wrapper.get());
    }

    @Override
    @SuppressWarnings("unchecked")
    public <T> T get(Object key, Callable<T> valueLoader) {
        if (inTransaction()) {
            return call(key, valueLoader);
        }
        Object[] uncacheable = new Object[1];
        TypedValue stored = read(key, () -> {
            T value = call(key, valueLoader);
            TypedValue typed = value == null ? null : TypedValue.of(value);
            if (typed == null) {
                uncacheable[0] = value;
            }
            return typed;
        });
        if (stored == null) {
            return (T) uncacheable[0];
        }
        Object value = decode(stored);
        return value != null ? (T) value : call(key, valueLoader);
    }

    /** The stored value, or null (a miss) for an entry whose type is unknown or not accepted here. */
    private Object decode(TypedValue stored) {
        if (stored == null) {
            return null;
        }
        try {
            return stored.value();
        } catch (RuntimeException e) {
            LOG.warn("Loom Spring cache '{}': ignoring an entry that does not decode: {}", name, e.getMessage());
            return null;
        }
    }

    @Override
    public void put(Object key, Object value) {
        if (putLogged.compareAndSet(false, true)) {
            LOG.warn("Loom Spring cache '{}': put() is not stored, since a write may have raced the value; "
                    + "declare @Cacheable(sync = true) so the value is computed inside the cache read", name);
        }
    }

    @Override
    public void evict(Object key) {
        cache.invalidate(ownEntity); // entries are not addressable one by one: the whole cache misses
    }

    @Override
    public void clear() {
        cache.invalidate(ownEntity);
    }

    private TypedValue read(Object key, java.util.function.Supplier<TypedValue> load) {
        String canonical = name + "|" + key.getClass().getName() + "|" + key;
        return cache.getOrLoad(canonical, entities, TypedValue.class, ttl, load);
    }

    private boolean inTransaction() {
        return emf != null && JpaTransactions.current(emf) != null;
    }

    private static <T> T call(Object key, Callable<T> loader) {
        try {
            return loader.call();
        } catch (Exception e) {
            throw new ValueRetrievalException(key, loader, e);
        }
    }
}
