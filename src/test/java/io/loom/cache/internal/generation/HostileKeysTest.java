package io.loom.cache.internal.generation;

import io.loom.cache.gateway.GenerationStore;
import io.loom.cache.invalidation.GenerationalDependencyResolver;
import io.loom.cache.invalidation.RowRef;
import io.loom.cache.invalidation.TagValues;
import io.loom.cache.testing.RedisTestNamespace;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Ids with separators, glob characters, braces, spaces, unicode or great length address only their
 * own entry and their own row counter on Redis: moving one never invalidates another.
 */
class HostileKeysTest {

    private static final List<String> IDS = List.of("1", "1:2", "1:", ":1", "*", "a*", "?", "[a]", "{x}", "{x",
            "x y", " x", "\u00fc\u65e5\u672c", "\u0000", "x".repeat(20_000), "x".repeat(19_999) + "y");

    private static RedisTestNamespace namespace;
    private static RedisGenerationStore store;
    private static GenerationalDependencyResolver resolver;

    @BeforeAll
    static void start() {
        namespace = RedisTestNamespace.create(HostileKeysTest.class);
        store = new RedisGenerationStore(RedisTestNamespace.client(), namespace.namespace() + ":",
                namespace.namespace() + ":gen:", Duration.ofMinutes(5));
        resolver = new GenerationalDependencyResolver(store);
    }

    @AfterAll
    static void stop() {
        namespace.close();
    }

    private static String entryKey(String id) {
        return "thing:id:" + TagValues.hash(id);
    }

    private static void storeAll() {
        for (String id : IDS) {
            List<GenerationStore.EpochValue> epochs = store.read(entryKey(id), List.of("w:thing")).epochs();
            boolean stored = store.store(entryKey(id), id.getBytes(StandardCharsets.UTF_8),
                    resolver.entityTags("thing", id), epochs, Duration.ofMinutes(1));
            assertEquals(true, stored, "stored " + id.length());
        }
    }

    @Test
    void bumpOfOneHostileId_invalidatesOnlyItsOwnEntry() {
        for (String bumped : IDS) {
            storeAll();
            resolver.bumpRow(new RowRef("thing", bumped));
            for (String id : IDS) {
                GenerationStore.ReadResult read = store.read(entryKey(id), List.of());
                if (id.equals(bumped)) {
                    assertEquals(GenerationStore.Status.STALE, read.status(), "bumped id of length " + id.length());
                } else {
                    assertEquals(GenerationStore.Status.HIT, read.status(),
                            "id of length " + id.length() + " after bumping one of length " + bumped.length());
                    assertEquals(id, new String(read.payload(), StandardCharsets.UTF_8));
                }
            }
        }
    }

    @Test
    void distinctHostileIds_haveDistinctEntryKeys() {
        assertEquals(IDS.size(), IDS.stream().map(HostileKeysTest::entryKey).distinct().count());
    }
}
