package io.loom.cache.invalidation;

import org.junit.jupiter.api.Test;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class InvalidationTest {

    @Test
    void encodeDecode_hostileTags_roundTrip() {
        Set<String> tags = new LinkedHashSet<>(List.of("r:book:1:2", "v:book:title:a;b", "v:book:title:12:x",
                "v:book:title:", "r:book:*", "v:book:title:{a}", "v:book:title:\u00fc\u65e5 \n\u0000",
                "r:book:" + "x".repeat(10_000)));
        Invalidation invalidation = new Invalidation(Set.of("w:book"), tags);
        Invalidation decoded = Invalidation.decode(invalidation.encode());
        assertEquals(invalidation, decoded);
        assertEquals(List.copyOf(tags), List.copyOf(decoded.tags()));
    }

    @Test
    void decode_malformedText_throwsNamingTheText() {
        for (String bad : new String[] {null, "", "LI1;", "LI1;x;", "LI1;2;3:abc", "LI1;0;5:ab", "LI1;0;-1:",
                "XX1;0;"}) {
            assertThrows(Invalidation.MalformedInvalidationException.class, () -> Invalidation.decode(bad),
                    String.valueOf(bad));
        }
    }

    @Test
    void coarse_keepsEpochsAndMovesEntityTags() {
        Invalidation exact = new Invalidation(Set.of("w:book", "w:author"), Set.of("r:book:1", "l:book"));
        assertEquals(new Invalidation(Set.of("w:book", "w:author"), Set.of("e:book", "e:author")), exact.coarse());
    }

    @Test
    void plus_unionOfBoth() {
        Invalidation a = new Invalidation(Set.of("w:book"), Set.of("r:book:1"));
        Invalidation b = new Invalidation(Set.of("w:author"), Set.of("r:book:1", "r:author:2"));
        assertEquals(new Invalidation(Set.of("w:book", "w:author"), Set.of("r:book:1", "r:author:2")), a.plus(b));
    }
}
