package io.loom.cache.internal.codec;

import io.loom.cache.repository.CursorResult;
import io.loom.cache.repository.PageResult;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.util.Date;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ImmutableTypesTest {

    enum Status { OPEN, CLOSED }

    record BookView(long id, String title, BigDecimal price, LocalDate published, Instant updated, UUID ref,
                    Status status, Integer stock, AuthorView author) {
    }

    record AuthorView(String name) {
    }

    record WithList(String name, List<String> tags) {
    }

    record WithDate(Date when) {
    }

    record WithArray(byte[] data) {
    }

    record Box<T>(T content) {
    }

    static final class Mutable {
        String name;
    }

    @Test
    void recordsOfScalarsEnumsTimeAndRecords_areShared() {
        assertTrue(ImmutableTypes.isImmutable(BookView.class));
        assertTrue(ImmutableTypes.isImmutable(String.class));
        assertTrue(ImmutableTypes.isImmutable(GenericType.of(Optional.class, BookView.class)));
    }

    @Test
    void pagesAndCursorsCopyTheirLists_soTheyAreSharedWhenTheirItemsAre() {
        assertTrue(ImmutableTypes.isImmutable(GenericType.of(PageResult.class, BookView.class)));
        assertTrue(ImmutableTypes.isImmutable(GenericType.of(CursorResult.class, BookView.class)));
        assertFalse(ImmutableTypes.isImmutable(GenericType.of(PageResult.class, WithList.class)));
    }

    @Test
    void collectionsArraysMutableClassesAndLegacyDates_areDecodedPerHit() {
        assertFalse(ImmutableTypes.isImmutable(WithList.class));
        assertFalse(ImmutableTypes.isImmutable(WithDate.class));
        assertFalse(ImmutableTypes.isImmutable(WithArray.class));
        assertFalse(ImmutableTypes.isImmutable(Mutable.class));
        assertFalse(ImmutableTypes.isImmutable(GenericType.of(List.class, String.class)));
    }

    @Test
    void genericRecords_followTheirArguments() {
        assertTrue(ImmutableTypes.isImmutable(GenericType.of(Box.class, AuthorView.class)));
        assertFalse(ImmutableTypes.isImmutable(GenericType.of(Box.class, Mutable.class)));
        assertFalse(ImmutableTypes.isImmutable(Box.class), "a raw generic record has unknown contents");
    }
}
