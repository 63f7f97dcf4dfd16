package io.loom.cache.config;

import org.junit.jupiter.api.Test;

import java.io.InputStream;
import java.time.Duration;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;

import static org.junit.jupiter.api.Assertions.*;

class CacheConfigLoaderTest {

    private static final CacheConfigLoader NO_ENV = new CacheConfigLoader(name -> null);

    static String resource(String name) throws Exception {
        try (InputStream in = CacheConfigLoaderTest.class.getResourceAsStream("/config/" + name)) {
            return new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        }
    }

    private static CacheConfigException error(Runnable r) {
        return assertThrows(CacheConfigException.class, r::run);
    }

    @Test
    void redisSeed_withDefaults_describesDataAndCounterAliases() throws Exception {
        CacheConfig c = NO_ENV.yaml(resource("redis-with-counters.yaml"));
        assertEquals("default", c.alias());
        assertEquals("counters", c.counterAlias());
        assertEquals("counters", c.effectiveCounterAlias());
        assertEquals(Duration.ofSeconds(300), c.defaultTtl());
        assertEquals(Duration.ofSeconds(60), c.defaultListTtl());
        assertEquals(Duration.ofSeconds(15), c.negativeTtl());
        assertEquals(524288, c.maxValueBytes());
        assertEquals(Duration.ofSeconds(600), c.ttlForSingle("user"));
        assertEquals(Duration.ofSeconds(90), c.ttlForList("user"));
        assertEquals(Duration.ofMinutes(5), c.ttlForSingle("order"));
        assertEquals(Duration.ofSeconds(60), c.ttlForList("order"));
        BackendSettings data = c.backends().get("default");
        assertEquals(BackendType.REDIS, data.type());
        assertEquals("redis://127.0.0.1:6379", data.address());
        assertEquals("shop:data", data.namespace());
        assertEquals("msgpack", data.serializer());
        assertEquals(Duration.ofMillis(250), data.timeout());
        assertEquals(Duration.ofSeconds(1), data.connectTimeout());
        assertEquals(2, data.retryAttempts());
        BackendSettings counters = c.backends().get("counters");
        assertEquals("shop:gen", counters.namespace());
        assertNull(counters.serializer());
        assertEquals(Duration.ofMillis(250), counters.timeout());
        assertEquals(data.address(), counters.address());
    }

    @Test
    void redisSeed_interpolatesEnvironment() throws Exception {
        Map<String, String> env = Map.of("LOOM_REDIS_URL", "rediss://redis.internal:6380", "LOOM_NAMESPACE", "prod");
        CacheConfig c = new CacheConfigLoader(env::get).yaml(resource("redis-with-counters.yaml"));
        assertEquals("rediss://redis.internal:6380", c.backends().get("default").address());
        assertEquals("prod:data", c.backends().get("default").namespace());
        assertEquals("prod:gen", c.backends().get("counters").namespace());
    }

    @Test
    void memorySeed_describesBoundedMemoryAliases() throws Exception {
        CacheConfig c = NO_ENV.yaml(resource("in-memory.yaml"));
        assertEquals("local", c.alias());
        assertEquals("local_counters", c.effectiveCounterAlias());
        assertEquals(10_000L, c.maxSize());
        assertEquals(Duration.ofSeconds(120), c.defaultTtl());
        assertEquals(BackendType.MEMORY, c.backends().get("local").type());
        assertNull(c.backends().get("local").maxSize());
        assertEquals(500L, c.backends().get("local_counters").maxSize());
        assertFalse(c.backends().get("local_counters").hasSerializer());
    }

    @Test
    void staticFromYaml_readsStreamAndPath(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir) throws Exception {
        try (InputStream in = getClass().getResourceAsStream("/config/in-memory.yaml")) {
            assertEquals("local", CacheConfigLoader.fromYaml(in).alias());
        }
        java.nio.file.Path file = dir.resolve("c.yaml");
        java.nio.file.Files.writeString(file, "default-ttl: 7\n");
        assertEquals(Duration.ofSeconds(7), CacheConfigLoader.fromYaml(file).defaultTtl());
        assertEquals(CacheConfig.DEFAULT_TTL, CacheConfigLoader.fromYaml("").defaultTtl());
    }

    @Test
    void fromMapping_acceptsSectionOrRoot_andAnyKeySpelling() {
        Map<String, Object> section = new LinkedHashMap<>();
        section.put("defaultTtl", 10);
        section.put("default_list_ttl", "5s");
        section.put("negative-ttl", "PT2S");
        section.put("counterAlias", "gen");
        section.put("backends", Map.of("default", Map.of("type", "memory", "serializer", "msgpack", "maxSize", 3),
                "gen", Map.of("type", "MEMORY")));
        CacheConfig a = CacheConfigLoader.fromMapping(section);
        CacheConfig b = CacheConfigLoader.fromMapping(Map.of("loom", Map.of("cache", section)));
        for (CacheConfig c : List.of(a, b)) {
            assertEquals(Duration.ofSeconds(10), c.defaultTtl());
            assertEquals(Duration.ofSeconds(5), c.defaultListTtl());
            assertEquals(Duration.ofSeconds(2), c.negativeTtl());
            assertEquals("gen", c.counterAlias());
            assertEquals(3L, c.backends().get("default").maxSize());
        }
    }

    @Test
    void flatProperties_buildTheSameModel() {
        Properties p = new Properties();
        p.setProperty("loom.cache.default-ttl", "300");
        p.setProperty("loom.cache.enabled", "false");
        p.setProperty("loom.cache.counter-alias", "gen");
        p.setProperty("loom.cache.max-value-bytes", "2048");
        p.setProperty("loom.cache.ttl.user", "60");
        p.setProperty("loom.cache.ttl.user_list", "1m");
        p.setProperty("loom.cache.backends.default.type", "redis");
        p.setProperty("loom.cache.backends.default.address", "redis://10.0.0.5:6379");
        p.setProperty("loom.cache.backends.default.serializer", "msgpack");
        p.setProperty("loom.cache.backends.default.database", "3");
        p.setProperty("loom.cache.backends.default.username", "app");
        p.setProperty("loom.cache.backends.default.password", "${REDIS_PASSWORD:none-set}");
        p.setProperty("loom.cache.backends.default.timeout", "750");
        p.setProperty("loom.cache.backends.gen.type", "redis");
        p.setProperty("loom.cache.backends.gen.namespace", "app:gen");
        p.setProperty("hibernate.show_sql", "true");
        CacheConfig c = NO_ENV.properties(p);
        assertFalse(c.enabled());
        assertEquals(Duration.ofSeconds(300), c.defaultTtl());
        assertEquals(Duration.ofSeconds(60), c.ttlForSingle("user"));
        assertEquals(Duration.ofSeconds(60), c.ttlForList("user"));
        assertEquals(2048, c.maxValueBytes());
        BackendSettings d = c.backends().get("default");
        assertEquals("redis://10.0.0.5:6379", d.address());
        assertEquals(3, d.database());
        assertEquals("app", d.username());
        assertEquals("none-set", d.password());
        assertEquals(Duration.ofMillis(750), d.timeout());
        assertEquals("app:gen", c.backends().get("gen").namespace());
        CacheConfig fromMap = CacheConfigLoader.fromProperties(Map.of("loom.cache.default-ttl", "42",
                "loom.cache.backends.default.type", "memory", "loom.cache.backends.default.serializer", "msgpack",
                "loom.cache.backends.default.max-size", "9"));
        assertEquals(Duration.ofSeconds(42), fromMap.defaultTtl());
        assertEquals(9L, fromMap.backends().get("default").maxSize());
    }

    @Test
    void unknownKeys_areRejectedByName() {
        assertEquals("default-tll", error(() -> NO_ENV.mapping(Map.of("default-tll", 5))).key());
        assertEquals("backends.default.adress", error(() -> NO_ENV.mapping(
                Map.of("backends", Map.of("default", Map.of("type", "redis", "adress", "x"))))).key());
        assertEquals("loom.cache.backends.default", error(() -> NO_ENV.properties(
                Map.of("loom.cache.backends.default", "redis"))).key());
        assertEquals("loom", error(() -> NO_ENV.mapping(Map.of("loom", Map.of("cash", Map.of())))).key());
    }

    @Test
    void negativeOrBadTtls_areRejectedByName() {
        assertEquals("default-ttl", error(() -> NO_ENV.mapping(Map.of("default-ttl", -5))).key());
        assertEquals("default-list-ttl", error(() -> NO_ENV.yaml("default-list-ttl: -1s")).key());
        assertEquals("negative-ttl", error(() -> NO_ENV.mapping(Map.of("negative-ttl", 0))).key());
        assertEquals("ttl.user", error(() -> NO_ENV.mapping(Map.of("ttl", Map.of("user", "-3")))).key());
        assertEquals("ttl.user_list", error(() -> NO_ENV.mapping(Map.of("ttl", Map.of("user_list", "soon")))).key());
        assertEquals("backends.default.timeout", error(() -> NO_ENV.mapping(Map.of("backends",
                Map.of("default", Map.of("type", "redis", "serializer", "msgpack", "timeout", "-1ms"))))).key());
    }

    @Test
    void counterAliasErrors_nameTheKey() {
        assertEquals("counter-alias", error(() -> NO_ENV.mapping(Map.of("counter-alias", "gen"))).key());
        CacheConfigException withSerializer = error(() -> NO_ENV.yaml("""
                counter-alias: gen
                backends:
                  default: {type: memory, serializer: msgpack}
                  gen: {type: memory, serializer: msgpack}
                """));
        assertEquals("backends.gen.serializer", withSerializer.key());
        assertTrue(withSerializer.getMessage().contains("must not have a serializer"));
    }

    @Test
    void badValues_areRejectedByName() {
        assertEquals("enabled", error(() -> NO_ENV.mapping(Map.of("enabled", "yes please"))).key());
        assertEquals("max-size", error(() -> NO_ENV.mapping(Map.of("max-size", "lots"))).key());
        assertEquals("max-size", error(() -> NO_ENV.mapping(Map.of("max-size", -1))).key());
        assertEquals("backends.default.type", error(() -> NO_ENV.mapping(Map.of("backends",
                Map.of("default", Map.of("type", "memcached"))))).key());
        assertEquals("backends.default.serializer", error(() -> NO_ENV.mapping(Map.of("backends",
                Map.of("default", Map.of("type", "memory", "serializer", "pickle"))))).key());
        assertEquals("backends.default.database", error(() -> NO_ENV.mapping(Map.of("backends",
                Map.of("default", Map.of("type", "redis", "serializer", "msgpack", "database", -2))))).key());
        assertEquals("backends", error(() -> NO_ENV.mapping(Map.of("backends", List.of("default")))).key());
        assertEquals("backends.default", error(() -> NO_ENV.mapping(Map.of("backends", Map.of("default", "redis")))).key());
        assertEquals("yaml", error(() -> NO_ENV.yaml("a: [unclosed")).key());
    }

    @Test
    void addressWithRedissonConfig_failsNamingBoth() {
        CacheConfigException e = error(() -> NO_ENV.yaml("""
                backends:
                  default:
                    type: redis
                    serializer: msgpack
                    address: redis://127.0.0.1:6379
                    redisson-config: /etc/loom/redisson.yaml
                """));
        assertEquals("backends.default.address", e.key());
        assertTrue(e.getMessage().contains("backends.default.redisson-config"), e.getMessage());
    }

    @Test
    void missingEnvironmentVariableWithoutDefault_failsNamingKey() {
        CacheConfigException e = error(() -> NO_ENV.yaml("""
                backends:
                  default: {type: redis, serializer: msgpack, address: "${LOOM_TEST_UNSET_VAR}"}
                """));
        assertEquals("backends.default.address", e.key());
        assertTrue(e.getMessage().contains("LOOM_TEST_UNSET_VAR"));
    }

    @Test
    void normalize_mapsEverySpellingToKebabCase() {
        assertEquals("default-list-ttl", CacheConfigLoader.normalize("defaultListTtl"));
        assertEquals("default-list-ttl", CacheConfigLoader.normalize("default_list_ttl"));
        assertEquals("default-list-ttl", CacheConfigLoader.normalize("default-list-ttl"));
        assertEquals("redisson-config", CacheConfigLoader.normalize("redissonConfig"));
    }
}
