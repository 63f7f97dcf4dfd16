package io.loom.cache.internal.generation;

import io.loom.cache.gateway.GenerationStore.EpochValue;
import io.loom.cache.gateway.GenerationStore.ReadResult;
import io.loom.cache.gateway.GenerationStore.Status;
import io.loom.cache.gateway.GenerationStore;
import io.loom.cache.invalidation.Fingerprint;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The behaviour every {@link GenerationStore} must show; one subclass per store. */
abstract class GenerationStoreContract {

    protected GenerationStore store;
    protected String entryKey;

    /** A fresh store on a namespace of its own. */
    protected abstract GenerationStore newStore();

    /** The full key of an entry named {@code name} in this store's namespace. */
    protected abstract String entryKey(String name);

    /** Removes a counter behind the store's back, as eviction, expiry or a restart would. */
    protected abstract void loseCounter(String tag);

    /**
     * Whether a store given no clock reading ({@code since} 0) may keep a load on its watched
     * epochs alone. A store whose bumps move epochs and tags in parallel cannot.
     */
    protected boolean epochsAloneProve() {
        return true;
    }

    /** Whether a miss's {@code since} is the server clock itself (counters compare with it). */
    protected boolean sinceIsServerClock() {
        return true;
    }

    /** Writes foreign bytes under an entry key. */
    protected abstract void writeRaw(String entryKey, byte[] bytes);

    @BeforeEach
    void openStore() {
        store = newStore();
        entryKey = entryKey("entry");
    }

    @AfterEach
    void closeStore() {
        store.close();
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    private List<EpochValue> epochsBefore(String... epochTags) {
        ReadResult read = store.read(entryKey("nothing-here"), List.of(epochTags));
        return read.epochs();
    }

    /** A miss before a load of an entry with {@code tags} (known in advance), watching {@code epochTags}. */
    private ReadResult missBefore(Set<String> tags, String... epochTags) {
        return store.read(entryKey("nothing-here"), tags, List.of(epochTags));
    }

    /** Stores the load that followed {@code miss}, whose caller knew the tags in advance: true when kept. */
    private boolean storeAfter(ReadResult miss, String entryKey, byte[] payload, Set<String> tags) {
        return store.stamp(entryKey, payload, tags, miss.epochs(), miss.since(), Duration.ofMinutes(1), true) != null;
    }

    /** Stores a load that raced nothing: a miss, then the store. */
    private boolean storeFresh(String entryKey, byte[] payload, Set<String> tags, String... epochTags) {
        return storeAfter(missBefore(tags, epochTags), entryKey, payload, tags);
    }

    @Test
    void read_withoutEntry_isAbsentAndReportsEpochs_creatingAbsentOnes() {
        store.bump(Set.of("w:book"), Set.of());
        String bumped = store.generations(List.of("w:book")).get(0);
        ReadResult read = store.read(entryKey, List.of("w:book", "w:author"));
        assertEquals(Status.ABSENT, read.status());
        assertEquals(2, read.epochs().size());
        assertEquals(bumped, read.epochs().get(0).value());
        assertFalse(read.epochs().get(1).value().isEmpty(), "an epoch never bumped is created by the miss");
        assertEquals(read.epochs().get(1).value(), store.generations(List.of("w:author")).get(0));
    }

    @Test
    void store_thenRead_isHitWithPayload() {
        assertTrue(storeFresh(entryKey, bytes("v1"), Set.of("r:book:1", "e:book"), "w:book"));
        ReadResult read = store.read(entryKey, List.of("w:book"));
        assertEquals(Status.HIT, read.status());
        assertArrayEquals(bytes("v1"), read.payload());
    }

    @Test
    void bump_ofDependedTag_makesEntryStale() {
        store.store(entryKey, bytes("v1"), Set.of("r:book:1"), List.of(), Duration.ofMinutes(1));
        store.bump(Set.of("w:book"), Set.of("r:book:1"));
        assertEquals(Status.STALE, store.read(entryKey, List.of()).status());
    }

    @Test
    void bump_ofOtherTag_keepsEntryCurrent() {
        store.store(entryKey, bytes("v1"), Set.of("r:book:1"), List.of(), Duration.ofMinutes(1));
        store.bump(Set.of("w:book"), Set.of("r:book:2", "l:book"));
        assertEquals(Status.HIT, store.read(entryKey, List.of()).status());
    }

    @Test
    void store_afterWatchedEpochMoved_isRefused() {
        ReadResult before = store.read(entryKey, List.of("w:book"));
        store.bump(Set.of("w:book"), Set.of("r:book:9"));
        assertFalse(storeAfter(before, entryKey, bytes("old"), Set.of("r:book:1")));
        assertEquals(Status.ABSENT, store.read(entryKey, List.of()).status());
    }

    @Test
    void store_afterAnotherRowOfTheEntityMovedDuringTheLoad_isKept_byTheClockProof() {
        Set<String> tags = Set.of("e:book", "r:book:1");
        assertTrue(storeFresh(entryKey("other"), bytes("x"), tags, "w:book"),
                "creates the tags");
        ReadResult miss = store.readKnowingSomeTags(entryKey, tags, List.of("w:book"));
        assertTrue(miss.since() > 0, "a miss reports the store's clock: " + miss.since());
        store.bump(Set.of("w:book"), Set.of("r:book:2")); // a commit of another row, during the load
        Fingerprint stored = store.stamp(entryKey, bytes("v"), tags, miss.epochs(), miss.since(), Duration.ofMinutes(1),
                false);
        assertNotNull(stored, "no tag the load depends on moved");
        assertEquals(Status.HIT, store.read(entryKey, List.of("w:book")).status());
    }

    @Test
    void store_afterATagOfTheEntryMovedDuringTheLoad_isRefused() {
        Set<String> tags = Set.of("e:book", "r:book:1");
        assertTrue(storeFresh(entryKey("other"), bytes("x"), tags, "w:book"));
        ReadResult miss = store.read(entryKey, List.of("w:book"));
        store.bump(Set.of("w:book"), Set.of("r:book:1"));
        assertNull(store.stamp(entryKey, bytes("v"), tags, miss.epochs(), miss.since(), Duration.ofMinutes(1),
                false));
        assertEquals(Status.ABSENT, store.read(entryKey, List.of("w:book")).status());
    }

    @Test
    void store_afterAnEntityWriteWithATagAbsent_isRefused_thenKeptOnceTheTagExists() {
        ReadResult miss = store.read(entryKey, List.of("w:book"));
        store.bump(Set.of("w:book"), Set.of("r:book:2"));
        Set<String> tags = Set.of("e:book", "r:book:9");
        assertNull(store.stamp(entryKey, bytes("v"), tags, miss.epochs(), miss.since(), Duration.ofMinutes(1),
                false), "an absent tag proves nothing about the commit: the moved epoch decides");
        assertNotNull(store.generations(List.of("r:book:9")).get(0), "the refused store created the tags");

        ReadResult again = store.read(entryKey, List.of("w:book"));
        store.bump(Set.of("w:book"), Set.of("r:book:3"));
        Fingerprint kept = store.stamp(entryKey, bytes("v"), tags, again.epochs(), again.since(), Duration.ofMinutes(1),
                false);
        assertNotNull(kept, "kept on the clock proof once every tag exists");
    }

    @Test
    void store_ofATagLostAndRecreatedDuringTheLoad_isRefused() {
        Set<String> tags = Set.of("e:book", "r:book:1");
        assertTrue(storeFresh(entryKey("other"), bytes("x"), tags, "w:book"));
        ReadResult miss = store.read(entryKey, List.of("w:book"));
        store.bump(Set.of("w:book"), Set.of("r:book:1"));
        loseCounter("r:book:1");
        assertTrue(storeFresh(entryKey("third"), bytes("y"), tags, "w:book"),
                "another store recreates the lost tag");
        assertNull(store.stamp(entryKey, bytes("v"), tags, miss.epochs(), miss.since(), Duration.ofMinutes(1),
                false), "the recreated tag's value is above the miss's clock reading");
    }

    @Test
    void bump_valuesATagAtLeastAtItsOwnClockReading() {
        Assumptions.assumeTrue(sinceIsServerClock(), "this store's since is not a clock reading");
        assertTrue(storeFresh(entryKey, bytes("x"), Set.of("r:book:1"), "w:book"));
        ReadResult before = store.read(entryKey("absent"), List.of("w:book"));
        store.bump(Set.of("w:book"), Set.of("r:book:1"));
        assertTrue(Long.parseLong(store.generations(List.of("r:book:1")).get(0)) >= before.since());
    }

    @Test
    void store_whenWatchedEpochIsAbsent_isRefused_andCreatesIt_soTheNextLoadIsKept() {
        Assumptions.assumeTrue(epochsAloneProve(), "this store never keeps a load on its epochs alone");
        List<EpochValue> before = List.of(new EpochValue("w:fresh", ""));
        assertFalse(store.store(entryKey, bytes("v"), Set.of("r:fresh:1"), before, Duration.ofMinutes(1)));
        assertEquals(Status.ABSENT, store.read(entryKey, List.of()).status());
        assertNotNull(store.generations(List.of("w:fresh")).get(0), "the refused store created the epoch");
        List<EpochValue> next = epochsBefore("w:fresh");
        assertTrue(store.store(entryKey, bytes("v"), Set.of("r:fresh:1"), next, Duration.ofMinutes(1)));
        store.bump(Set.of("w:fresh"), Set.of());
        assertFalse(store.store(entryKey, bytes("v"), Set.of("r:fresh:1"), next, Duration.ofMinutes(1)));
    }

    /**
     * The epoch ABA: a miss reads the epoch while it is absent, a commit's bump recreates it, it is
     * lost again (eviction, an empty restart) before the store. The load may predate the commit,
     * so it must not be kept, although the epoch read "absent" at both moments: the miss now
     * creates the epoch, and an epoch absent at the store never matches.
     */
    @Test
    void store_ofLoadWhoseEpochWasAbsent_recreatedByABump_thenLostAgain_isRefused() {
        Assumptions.assumeTrue(epochsAloneProve(), "this store never keeps a load on its epochs alone");
        List<EpochValue> before = epochsBefore("w:aba");
        assertFalse(before.get(0).value().isEmpty(), "the miss watches a real value");
        loseCounter("w:aba"); // lost between the miss and the commit
        store.bump(Set.of("w:aba"), Set.of("r:aba:1")); // the commit the load may have missed
        loseCounter("w:aba");
        assertFalse(store.store(entryKey, bytes("old"), Set.of("r:aba:1"), before, Duration.ofMinutes(1)));
        assertEquals(Status.ABSENT, store.read(entryKey, List.of()).status());
    }

    /** The same with an epoch that had a value: lost and recreated, it never shows that value again. */
    @Test
    void store_ofLoadWhoseEpochWasLostAndRecreated_isRefused() {
        Assumptions.assumeTrue(epochsAloneProve(), "this store never keeps a load on its epochs alone");
        store.bump(Set.of("w:aba2"), Set.of());
        List<EpochValue> before = epochsBefore("w:aba2");
        loseCounter("w:aba2");
        store.bump(Set.of("w:aba2"), Set.of());
        assertFalse(store.store(entryKey, bytes("old"), Set.of("r:aba2:1"), before, Duration.ofMinutes(1)));
        loseCounter("w:aba2");
        assertFalse(store.store(entryKey, bytes("old"), Set.of("r:aba2:1"), before, Duration.ofMinutes(1)));
        assertEquals(Status.ABSENT, store.read(entryKey, List.of()).status());
    }

    @Test
    void lostCounter_makesEntryStale_andIsRecreatedAboveEveryOldValue() {
        store.store(entryKey, bytes("v1"), Set.of("r:book:1"), List.of(), Duration.ofMinutes(1));
        for (int i = 0; i < 5; i++) {
            store.bump(Set.of(), Set.of("r:book:1"));
        }
        String before = store.generations(List.of("r:book:1")).get(0);
        store.store(entryKey, bytes("v2"), Set.of("r:book:1"), List.of(), Duration.ofMinutes(1));
        loseCounter("r:book:1");
        assertEquals(Status.STALE, store.read(entryKey, List.of()).status());
        store.store(entryKey(("other")), bytes("v3"), Set.of("r:book:1"), List.of(), Duration.ofMinutes(1));
        String recreated = store.generations(List.of("r:book:1")).get(0);
        assertNotNull(recreated);
        assertTrue(Long.parseLong(recreated) > Long.parseLong(before),
                "recreated " + recreated + " must exceed " + before);
    }

    @Test
    void bump_ofAbsentDependencyTag_createsNothing() {
        store.bump(Set.of(), Set.of("r:book:404"));
        assertNull(store.generations(List.of("r:book:404")).get(0));
    }

    @Test
    void foreignBytes_areReportedForeign() {
        writeRaw(entryKey, bytes("not a loom entry"));
        assertEquals(Status.FOREIGN, store.read(entryKey, List.of("w:book")).status());
    }

    @Test
    void evict_removesEntry() {
        store.store(entryKey, bytes("v1"), Set.of("r:book:1"), List.of(), Duration.ofMinutes(1));
        store.evict(entryKey);
        assertEquals(Status.ABSENT, store.read(entryKey, List.of()).status());
    }

    @Test
    void manyTags_areAllValidated() {
        Set<String> tags = new java.util.LinkedHashSet<>();
        for (int i = 0; i < 700; i++) {
            tags.add("r:book:" + i);
        }
        store.store(entryKey, bytes("big"), tags, List.of(), Duration.ofMinutes(1));
        assertEquals(Status.HIT, store.read(entryKey, List.of()).status());
        store.bump(Set.of(), Set.of("r:book:650"));
        assertEquals(Status.STALE, store.read(entryKey, List.of()).status());
    }

    @Test
    void readExpecting_storedWithExpectedTags_isHit_thenStaleAfterBump_withEpochs() {
        Set<String> tags = Set.of("e:book", "r:book:1");
        storeFresh(entryKey, bytes("v1"), tags, "w:book");
        ReadResult hit = store.read(entryKey, tags, List.of("w:book"));
        assertEquals(Status.HIT, hit.status());
        assertArrayEquals(bytes("v1"), hit.payload());

        store.bump(Set.of("w:book"), Set.of("r:book:1"));
        ReadResult stale = store.read(entryKey, tags, List.of("w:book", "w:author"));
        assertEquals(Status.STALE, stale.status());
        assertEquals(List.of("w:book", "w:author"), stale.epochs().stream().map(EpochValue::tag).toList());
        assertEquals(store.generations(List.of("w:book")).get(0), stale.epochs().get(0).value());
        assertEquals(store.generations(List.of("w:author")).get(0), stale.epochs().get(1).value(), "created by the miss");
    }

    @Test
    void readExpecting_absentAndForeignEntries_reportEpochs() {
        store.bump(Set.of("w:book"), Set.of());
        ReadResult absent = store.read(entryKey, Set.of("e:book", "r:book:1"), List.of("w:book"));
        assertEquals(Status.ABSENT, absent.status());
        assertFalse(absent.epochs().get(0).value().isEmpty());
        writeRaw(entryKey, bytes("not a loom entry"));
        ReadResult foreign = store.read(entryKey, Set.of("e:book", "r:book:1"), List.of("w:book"));
        assertEquals(Status.FOREIGN, foreign.status());
        assertEquals(absent.epochs(), foreign.epochs());
    }

    @Test
    void readExpecting_entryStampedWithAnUnexpectedTag_isStillValidatedOnThatTag() {
        store.store(entryKey, bytes("v1"), Set.of("e:book", "r:book:1", "r:author:7"), List.of(),
                Duration.ofMinutes(1));
        Set<String> expected = Set.of("e:book", "r:book:1");
        assertEquals(Status.HIT, store.read(entryKey, expected, List.of("w:book")).status());
        store.bump(Set.of("w:author"), Set.of("r:author:7"));
        ReadResult read = store.read(entryKey, expected, List.of("w:book"));
        assertEquals(Status.STALE, read.status());
        assertEquals(1, read.epochs().size());
    }

    @Test
    void readExpecting_lostExpectedCounter_isStale() {
        Set<String> tags = Set.of("e:book", "r:book:1");
        store.store(entryKey, bytes("v1"), tags, List.of(), Duration.ofMinutes(1));
        loseCounter("r:book:1");
        assertEquals(Status.STALE, store.read(entryKey, tags, List.of()).status());
    }

    @Test
    void generations_growWithEveryBump() {
        store.store(entryKey, bytes("v"), Set.of("r:book:1"), List.of(), Duration.ofMinutes(1));
        long first = Long.parseLong(store.generations(List.of("r:book:1")).get(0));
        store.bump(Set.of(), Set.of("r:book:1"));
        long second = Long.parseLong(store.generations(List.of("r:book:1")).get(0));
        store.bump(Set.of(), Set.of("r:book:1"));
        long third = Long.parseLong(store.generations(List.of("r:book:1")).get(0));
        assertTrue(first < second && second < third, first + " < " + second + " < " + third);
        assertNotEquals(0, first);
    }

    /**
     * A list's first load: its filter's tags are known before the load, its rows' tags only after
     * it (their counters exist: another list holding every row was stored before). With no write
     * during the load it is kept, and the next read is a hit.
     */
    @Test
    void coldListLoad_whoseRowTagsAreLearnedDuringTheLoad_isKept_andHits() {
        Set<String> everyRow = new java.util.LinkedHashSet<>(List.of("e:book", "l:book"));
        for (int row = 0; row <= 48; row++) {
            everyRow.add("r:book:" + row);
        }
        assertTrue(store.store(entryKey("every-book"), bytes("every row"), everyRow, List.of(), Duration.ofMinutes(1)));
        for (int category = 0; category < 16; category++) {
            String key = entryKey("list-" + category);
            Set<String> known = Set.of("e:book", "v:book:category:" + category);
            ReadResult miss = store.readKnowingSomeTags(key, known, List.of("w:book"));
            assertEquals(Status.ABSENT, miss.status());
            Set<String> all = new java.util.LinkedHashSet<>(known);
            for (int row = 0; row < 3; row++) {
                all.add("r:book:" + (1 + category * 3 + row));
            }
            assertNotNull(store.stamp(key, bytes("rows of " + category), all, miss.epochs(), miss.since(),
                    Duration.ofMinutes(1), false), "the cold load of category " + category + " is kept");
            ReadResult again = store.readKnowingSomeTags(key, known, List.of("w:book"));
            assertEquals(Status.HIT, again.status(), "category " + category);
            assertArrayEquals(bytes("rows of " + category), again.payload());
        }
    }
}
