package io.loom.cache.config;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A YAML file and loom.cache.* properties layer; TTL keys name entities in any spelling. */
class LayeredConfigTest {

    private static final CacheConfigLoader NO_ENV = new CacheConfigLoader(name -> null);

    private static final String YAML = """
            loom:
              cache:
                default_ttl: 100
                negative-ttl: 7
                ttl:
                  Book: 50
                  author_list: 40
                backends:
                  default:
                    type: memory
                    serializer: msgpack
                    max-size: 500
            """;

    @Test
    void layered_propertiesOverrideTheSettingsTheyNameAndKeepTheRest() {
        CacheConfig c = NO_ENV.layered(YAML, Map.of(
                "loom.cache.default-ttl", "200",
                "loom.cache.ttl.book", "70",
                "loom.cache.backends.default.maxSize", "900",
                "hibernate.unrelated", "x"));
        assertEquals(Duration.ofSeconds(200), c.defaultTtl(), "default_ttl and default-ttl are one setting");
        assertEquals(Duration.ofSeconds(7), c.negativeTtl(), "kept from the file");
        assertEquals(Duration.ofSeconds(70), c.ttlForSingle("book"), "ttl.Book and ttl.book name one entity");
        assertEquals(Duration.ofSeconds(40), c.ttlForList("author"), "kept from the file");
        assertEquals(BackendType.MEMORY, c.backends().get("default").type(), "backend settings merge per alias");
        assertEquals(900L, c.backends().get("default").maxSize());
    }

    @Test
    void fromYamlAndProperties_missingFile_namesTheSettingAndThePath(@TempDir Path dir) {
        Path missing = dir.resolve("absent.yaml");
        CacheConfigException e = assertThrows(CacheConfigException.class,
                () -> CacheConfigLoader.fromYamlAndProperties("loom.hibernate.config-file", missing, Map.of()));
        assertTrue(e.getMessage().contains("loom.hibernate.config-file") && e.getMessage().contains("absent.yaml"),
                e.getMessage());
    }

    @Test
    void fromYamlAndProperties_readsTheFileUnderTheProperties(@TempDir Path dir) throws Exception {
        Path file = Files.writeString(dir.resolve("loom.yaml"), YAML);
        CacheConfig c = CacheConfigLoader.fromYamlAndProperties("loom.hibernate.config-file", file,
                Map.of("loom.cache.negative-ttl", "9"));
        assertEquals(Duration.ofSeconds(100), c.defaultTtl());
        assertEquals(Duration.ofSeconds(9), c.negativeTtl());
    }

    @Test
    void ttl_acceptsClassNamesSimpleOrQualified() {
        CacheConfig c = NO_ENV.properties(Map.of("loom.cache.ttl.com.acme.BookAuthor", "33",
                "loom.cache.ttl.Publisher_list", "44"));
        assertEquals(Duration.ofSeconds(33), c.ttlForSingle("book_author"));
        assertEquals(Duration.ofSeconds(33), c.ttlForSingle("BookAuthor"));
        assertEquals(Duration.ofSeconds(44), c.ttlForList("publisher"));
    }

    @Test
    void ttl_twoKeysForOneEntity_areRejectedNamingBoth() {
        CacheConfigException e = assertThrows(CacheConfigException.class,
                () -> NO_ENV.yaml("ttl:\n  Book: 10\n  book: 20\n"));
        assertTrue(e.getMessage().contains("ttl.Book") && e.getMessage().contains("ttl.book"), e.getMessage());
    }
}
