package io.loom.cache.spring.cache;

import io.loom.cache.LoomCache;
import jakarta.persistence.EntityManagerFactory;
import org.springframework.cache.Cache;
import org.springframework.cache.CacheManager;

import java.time.Duration;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A Spring {@link CacheManager} whose caches are Loom entries: each named cache declares the
 * entities its values depend on ({@code loom.cache.spring-caches.<name>.entities}), and a committed
 * write to any of them invalidates the cache on every node, with no {@code @CacheEvict}. Values
 * must be records, strings, numbers, enums, UUIDs, {@code java.time} values or lists, sets and maps
 * of them (others are served uncached). Use {@code @Cacheable(sync = true)}: only then does the
 * load run inside Loom's race-free read; a plain {@code put} is not stored. The caches are fixed
 * at start: an unknown name yields null, as Spring's static managers do.
 */
public final class LoomCacheManager implements CacheManager {

    /** One cache's declaration. */
    public record CacheSpec(List<String> entities, Duration ttl) {
        public CacheSpec {
            entities = List.copyOf(entities);
        }
    }

    private final Map<String, Cache> caches;

    /**
     * @param specs the caches by name
     * @param emf   the persistence unit whose transactions make reads bypass the cache (may be null)
     * @throws IllegalArgumentException naming a cache that declares no entity
     */
    public LoomCacheManager(LoomCache cache, Map<String, CacheSpec> specs, EntityManagerFactory emf) {
        Objects.requireNonNull(cache, "cache");
        Map<String, Cache> built = new LinkedHashMap<>();
        specs.forEach((name, spec) -> {
            if (spec.entities().isEmpty()) {
                throw new IllegalArgumentException("loom.cache.spring-caches." + name
                        + ".entities: a Loom Spring cache must declare the entities its values depend on");
            }
            built.put(name, new LoomSpringCache(name, spec.entities(), spec.ttl(), cache, emf));
        });
        this.caches = Map.copyOf(built);
    }

    @Override
    public Cache getCache(String name) {
        return caches.get(name);
    }

    @Override
    public Collection<String> getCacheNames() {
        return caches.keySet();
    }
}
