package io.loom.cache.hibernate.uow;

import io.loom.cache.config.BackendType;
import io.loom.cache.config.CacheConfig;
import io.loom.cache.config.CacheConfigException;
import io.loom.cache.hibernate.LoomHibernate;
import io.loom.cache.hibernate.LoomHibernateSettings;
import io.loom.cache.hibernate.e2e.LoomTestUnit;
import io.loom.cache.hibernate.model.TestDatabase;
import io.loom.cache.hibernate.uow.UowViews.WarehouseCreate;
import io.loom.cache.stats.CacheStats;
import io.loom.cache.testing.RedisTestNamespace;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Where a persistence unit's cache settings come from, and the names stats accept. */
class ConfigurationSourcesTest {

    @Test
    void missingConfigFile_failsStartUpNamingTheSetting(@TempDir Path dir) {
        Map<String, Object> props = Map.of(LoomHibernateSettings.CONFIG_FILE, dir.resolve("nope.yaml").toString());
        RuntimeException e = assertThrows(RuntimeException.class, () -> TestDatabase.h2(UowNode.UNIT, props).close());
        Throwable cause = e;
        while (cause != null && !(cause instanceof CacheConfigException)) {
            cause = cause.getCause();
        }
        assertTrue(cause != null, "a CacheConfigException in " + e);
        assertTrue(cause.getMessage().contains("loom.hibernate.config-file") && cause.getMessage().contains("nope.yaml"),
                cause.getMessage());
    }

    @Test
    void configFileAndProperties_layerWithThePropertiesWinning(@TempDir Path dir) throws Exception {
        Path file = Files.writeString(dir.resolve("loom.yaml"), """
                loom:
                  cache:
                    default-ttl: 111
                    negative-ttl: 11
                    ttl:
                      Warehouse: 22
                """);
        try (RedisTestNamespace ns = RedisTestNamespace.create(ConfigurationSourcesTest.class)) {
            Map<String, Object> props = new HashMap<>(LoomTestUnit.redisProperties(ns.namespace()));
            props.put(LoomHibernateSettings.CONFIG_FILE, file.toString());
            props.put("loom.cache.negative-ttl", "5");
            try (TestDatabase db = TestDatabase.h2(UowNode.UNIT, props)) {
                CacheConfig config = LoomHibernate.cache(db.emf()).config();
                assertEquals(BackendType.REDIS, config.backends().get("default").type(), "from the properties");
                assertEquals(Duration.ofSeconds(111), config.defaultTtl(), "from the file");
                assertEquals(Duration.ofSeconds(5), config.negativeTtl(), "the property overrides the file");
                assertEquals(Duration.ofSeconds(22), config.ttlForSingle("warehouse"), "ttl keyed by the class name");
            }
        }
    }

    @Test
    void stats_acceptTheClassItsJpaNameAndTheNormalizedName() {
        try (RedisTestNamespace ns = RedisTestNamespace.create(ConfigurationSourcesTest.class);
             UowNode node = UowNode.on(TestDatabase.Kind.H2, "unused", ns.namespace())) {
            node.warehouses.create(new WarehouseCreate("s1", "Lyon"));
            node.warehouses.getById("s1");
            node.warehouses.getById("s1");
            CacheStats normalized = node.cache().stats("warehouse");
            assertEquals(1, normalized.hits());
            assertEquals(normalized, node.cache().stats(Warehouse.class));
            assertEquals(normalized, node.cache().stats(Warehouse.class.getName()));
            assertEquals(normalized, LoomHibernate.stats(node.emf(), "Warehouse"));
            CacheStats root = node.cache().stats(Hierarchies.Product.class);
            assertEquals(root, LoomHibernate.stats(node.emf(), "Product"));
        }
    }
}
