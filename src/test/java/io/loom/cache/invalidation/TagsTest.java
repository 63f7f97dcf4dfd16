package io.loom.cache.invalidation;

import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The tag rules on their own: pure functions, no backend. */
class TagsTest {

    @Test
    void update_movesRowFieldAndBothValueTags_butNotMembership() {
        MutationEvent event = MutationEvent.update("Book", 7L, Set.of("genre"),
                Map.of("genre", "fantasy"), Map.of("genre", "scifi"));
        Set<String> moved = Tags.movedBy(event);
        assertTrue(moved.contains("r:book:7"));
        assertTrue(moved.contains("f:book:genre"));
        assertTrue(moved.contains("v:book:genre:fantasy"));
        assertTrue(moved.contains("v:book:genre:scifi"));
        assertTrue(moved.contains("u:book"));
        assertFalse(moved.contains("l:book"));
        assertFalse(moved.contains("e:book"));
    }

    @Test
    void insertAndDelete_moveMembershipAndEveryValueTag() {
        Set<String> inserted = Tags.movedBy(MutationEvent.insert("Book", 8L, Map.of("genre", "crime", "authorId", 3L)));
        assertTrue(inserted.containsAll(Set.of("r:book:8", "l:book", "v:book:genre:crime", "v:book:authorId:3")));
        Set<String> deleted = Tags.movedBy(MutationEvent.delete("Book", 8L, Map.of("genre", "crime")));
        assertTrue(deleted.containsAll(Set.of("r:book:8", "l:book", "v:book:genre:crime")));
    }

    @Test
    void eventWithoutValues_fallsBackToEntityWideTag() {
        assertTrue(Tags.movedBy(MutationEvent.insert("Book", 9L, Map.of())).contains("e:book"));
        assertTrue(Tags.movedBy(MutationEvent.update("Book", 9L, Set.of("genre"), Map.of(), Map.of()))
                .contains("e:book"));
    }

    @Test
    void listTags_equalityFilteredList_dependsOnValueTagsNotMembership() {
        ListScope scope = new ListScope(Map.of("genre", Set.of("scifi")), Set.of("publishedYear"), false);
        Set<String> tags = Tags.ofList("book", scope);
        assertEquals(Set.of("e:book", "v:book:genre:scifi", "f:book:publishedYear"), tags);
    }

    @Test
    void listTags_unfilteredList_dependsOnMembership() {
        assertEquals(Set.of("e:book", "l:book", "f:book:title"),
                Tags.ofList("book", new ListScope(Map.of(), Set.of("title"), false)));
    }

    @Test
    void listTags_opaqueQuery_dependsOnEveryInsertUpdateAndDelete() {
        assertEquals(Set.of("e:book", "l:book", "u:book"), Tags.ofList("book", ListScope.opaqueQuery()));
    }

    @Test
    void tagValues_agreeAcrossRepresentationsTheDatabaseTreatsAsEqual() {
        assertEquals(TagValues.canonical(new BigDecimal("1.50")), TagValues.canonical(1.5d));
        assertEquals(TagValues.canonical(3), TagValues.canonical(3L));
        assertEquals(TagValues.canonical("SciFi "), TagValues.canonical("scifi"));
        assertEquals(TagValues.NULL, TagValues.canonical(null));
        assertTrue(TagValues.canonical("x".repeat(500)).length() < 40, "long values are digested");
    }

    @Test
    void collectionRef_mappedCollection_dependsOnOwnerAndElementValueTag() {
        CollectionRef books = new CollectionRef("author", "4", "books", "book", "author");
        assertEquals(Set.of("c:author:4:books", "v:book:author:4"), books.tags());
    }

    @Test
    void lookup_dependsOnEntityAndRowTags() {
        assertEquals(Set.of("e:book", "r:book:7"), Tags.ofLookup("book", "7"));
    }

    @Test
    void untrackedRead_dependsOnEveryInsertDeleteAndUpdate() {
        assertEquals(Set.of("l:book", "u:book"), Tags.ofUntrackedRead("book"));
    }

    @Test
    void trackedRead_dependsOnRowsCollectionsAndEveryEntityRead() {
        List<RowRef> rows = List.of(RowRef.of("Book", 1L), RowRef.of("Author", 3L));
        List<CollectionRef> collections = List.of(new CollectionRef("author", "3", "books", "book", "authorId"));
        assertEquals(Set.of("r:book:1", "r:author:3", "c:author:3:books", "v:book:authorId:3", "e:book", "e:author"),
                Tags.ofTrackedRead("book", rows, collections));
        assertEquals(Set.of("book", "author"), Tags.entitiesRead("book", rows, collections));
    }

    @Test
    void committedChanges_moveEpochsOfEveryEntityWrittenAndTheirTags() {
        CommittedChanges changes = new CommittedChanges(
                List.of(MutationEvent.insert("Book", 8L, Map.of("genre", "crime"))),
                Set.of(new CommittedChanges.CollectionChange("author", "3", "books")),
                Set.of("review"));
        Invalidation moved = Tags.movedBy(changes);
        assertEquals(Set.of("w:book", "w:author", "w:review"), moved.epochs());
        assertTrue(moved.tags().containsAll(Set.of("r:book:8", "l:book", "v:book:genre:crime",
                "c:author:3:books", "e:review")), moved.tags().toString());
        assertFalse(moved.tags().stream().anyMatch(Tags::isWriteEpoch), "epochs are no dependency tags");
    }

    @Test
    void writeEpoch_isTheOnlyKindNotStampedIntoEntries() {
        assertTrue(Tags.isWriteEpoch(Tags.writeEpoch("book")));
        assertFalse(Tags.isWriteEpoch(Tags.row("book", "1")));
        assertFalse(Tags.isWriteEpoch(Tags.entity("w")));
    }
}
