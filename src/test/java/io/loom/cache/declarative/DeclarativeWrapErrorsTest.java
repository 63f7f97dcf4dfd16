package io.loom.cache.declarative;

import io.loom.cache.LoomCache;
import io.loom.cache.declarative.CacheQuery;
import io.loom.cache.declarative.Cached;
import io.loom.cache.declarative.DeclarativeCachingException;
import io.loom.cache.repository.PageResult;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletionStage;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Every problem of a declaratively cached interface is reported when wrapping, naming the method. */
class DeclarativeWrapErrorsTest {

    private final LoomCache cache = LoomCache.inMemory();

    @AfterEach
    void close() {
        cache.close();
    }

    record Row(long id, String name) {
    }

    /** A mutable class, like a JPA entity. */
    static final class EntityLike {
        long id;
    }

    interface NotMarked {
        @CacheQuery(scope = CacheQuery.Scope.LIST)
        List<Row> all();
    }

    @Cached(entity = "Row")
    interface ReturnsVoid {
        @CacheQuery(scope = CacheQuery.Scope.SINGLE)
        void touch(long id);
    }

    @Cached(entity = "Row")
    interface ReturnsEntity {
        @CacheQuery(scope = CacheQuery.Scope.SINGLE)
        EntityLike find(long id);
    }

    @Cached(entity = "Row")
    interface ReturnsListOfEntities {
        @CacheQuery(scope = CacheQuery.Scope.LIST)
        List<EntityLike> all();
    }

    @Cached(entity = "Row")
    interface ReturnsStream {
        @CacheQuery(scope = CacheQuery.Scope.LIST)
        Stream<Row> all();
    }

    @Cached(entity = "Row")
    interface ReturnsIterator {
        @CacheQuery(scope = CacheQuery.Scope.LIST)
        Iterator<Row> all();
    }

    @Cached(entity = "Row")
    interface ReturnsFuture {
        @CacheQuery(scope = CacheQuery.Scope.SINGLE)
        CompletionStage<Row> find(long id);
    }

    @Cached(entity = "Row")
    interface TakesEntity {
        @CacheQuery(scope = CacheQuery.Scope.LIST)
        List<Row> like(EntityLike example);
    }

    @Cached
    interface NoEntityName {
        @CacheQuery(scope = CacheQuery.Scope.LIST)
        List<Row> all();
    }

    @Cached(entity = "Row")
    interface Fine {
        @CacheQuery(scope = CacheQuery.Scope.LIST)
        List<Row> all();

        @CacheQuery(scope = CacheQuery.Scope.SINGLE)
        Optional<Row> byName(String name);

        @CacheQuery(scope = CacheQuery.Scope.LIST)
        Map<String, List<Row>> grouped(List<Long> ids);

        @CacheQuery(scope = CacheQuery.Scope.LIST)
        PageResult<Row> page(int page);

        @CacheQuery(scope = CacheQuery.Scope.LIST)
        long count();

        Stream<Row> notCached();
    }

    static final class Rows implements Fine {
        @Override
        public List<Row> all() {
            return List.of();
        }

        @Override
        public Optional<Row> byName(String name) {
            return Optional.empty();
        }

        @Override
        public Map<String, List<Row>> grouped(List<Long> ids) {
            return Map.of();
        }

        @Override
        public PageResult<Row> page(int page) {
            return null;
        }

        @Override
        public long count() {
            return 0;
        }

        @Override
        public Stream<Row> notCached() {
            return Stream.empty();
        }
    }

    private static <T> void assertRejected(Class<T> type, String method) {
        LoomCache cache = LoomCache.inMemory();
        try {
            @SuppressWarnings("unchecked")
            T target = (T) java.lang.reflect.Proxy.newProxyInstance(type.getClassLoader(), new Class<?>[] {type},
                    (proxy, m, args) -> null);
            DeclarativeCachingException error = assertThrows(DeclarativeCachingException.class,
                    () -> cache.wrapDeclared(type, target));
            assertTrue(error.getMessage().contains(type.getName() + "#" + method), error.getMessage());
        } finally {
            cache.close();
        }
    }

    @Test
    void wrapDeclared_typeWithoutCached_throwsNamingType() {
        DeclarativeCachingException error = assertThrows(DeclarativeCachingException.class,
                () -> cache.wrapDeclared(NotMarked.class, List::of));
        assertTrue(error.getMessage().contains(NotMarked.class.getName()));
        assertTrue(error.getMessage().contains("@Cached"));
    }

    @Test
    void wrapDeclared_voidMethod_throwsNamingMethod() {
        assertRejected(ReturnsVoid.class, "touch");
    }

    @Test
    void wrapDeclared_entityClassReturned_throwsNamingMethod() {
        assertRejected(ReturnsEntity.class, "find");
        assertRejected(ReturnsListOfEntities.class, "all");
    }

    @Test
    void wrapDeclared_streamIteratorOrFutureReturned_throwsNamingMethod() {
        assertRejected(ReturnsStream.class, "all");
        assertRejected(ReturnsIterator.class, "all");
        assertRejected(ReturnsFuture.class, "find");
    }

    @Test
    void wrapDeclared_uncacheableParameter_throwsNamingMethodAndParameter() {
        DeclarativeCachingException error = assertThrows(DeclarativeCachingException.class,
                () -> cache.wrapDeclared(TakesEntity.class, example -> List.of()));
        assertTrue(error.getMessage().contains("#like parameter 0"), error.getMessage());
    }

    @Test
    void wrapDeclared_noEntityAndTargetIsNoRepository_throws() {
        DeclarativeCachingException error = assertThrows(DeclarativeCachingException.class,
                () -> cache.wrapDeclared(NoEntityName.class, List::of));
        assertTrue(error.getMessage().contains("entity"), error.getMessage());
    }

    @Test
    void wrapDeclared_class_throws() {
        assertThrows(DeclarativeCachingException.class, () -> cache.wrapDeclared(Rows.class, new Rows()));
    }

    @Test
    void wrapDeclared_supportedTypes_returnsProxy() {
        Fine proxy = cache.wrapDeclared(Fine.class, new Rows());
        assertNotNull(proxy);
        assertEquals(0, proxy.notCached().count());
        assertEquals(0L, proxy.count());
    }
}
