package io.loom.cache.internal.cluster;

import org.redisson.connection.CRC16;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Where a counter lives on the cluster. Every counter belongs to one of {@link #STRIPES} stripes,
 * and the counters of a stripe share one slot with the stripe's clock: a hash tag chosen per
 * stripe puts stripe {@code k} in slot range {@code [k * 256, (k + 1) * 256)}, so the stripes
 * spread evenly over the masters of a cluster whose masters own ranges of slots. One script per
 * stripe then moves counters and ticks their clock atomically (ClusterGenerationStore argues why
 * that makes a commit one wave). A namespace with a hash tag of its own keeps everything in its
 * one slot, each stripe still with its clock.
 *
 * <p>Counters are named by their counter name: a tag, or one stripe of a striped entity tag
 * ({@link TagStripes#counter}), which lives in the stripe of that number.
 */
final class CounterStripes {

    static final int STRIPES = TagStripes.STRIPES;
    private static final String[] HASH_TAGS = hashTags();

    private final String prefix;

    CounterStripes(String prefix) {
        this.prefix = prefix;
    }

    /** The stripe of a counter: its own number for an entity tag's stripe, else by its name. */
    static int stripeOf(String counter) {
        if (TagStripes.striped(counter)) {
            int hash = counter.lastIndexOf('#');
            if (hash > 0) {
                try {
                    int stripe = Integer.parseInt(counter.substring(hash + 1));
                    if (stripe >= 0 && stripe < STRIPES) {
                        return stripe;
                    }
                } catch (NumberFormatException e) {
                    // an entity named with '#': by its name
                }
            }
        }
        // Mixed: the hash codes of names that differ in their last digits differ in their low bits only.
        int hash = counter.hashCode();
        hash ^= hash >>> 16;
        hash *= 0x85ebca6b;
        hash ^= hash >>> 13;
        hash *= 0xc2b2ae35;
        hash ^= hash >>> 16;
        return Math.floorMod(hash, STRIPES);
    }

    /** The key of a counter. */
    String key(String counter) {
        return prefix + "{" + HASH_TAGS[stripeOf(counter)] + "}" + counter;
    }

    /** The key of a stripe's clock, in the stripe's slot. */
    String clockKey(int stripe) {
        return prefix + "{" + HASH_TAGS[stripe] + "}~clock";
    }

    /** One script call's counters: all of one stripe, at most the call's limit. */
    record Group(int stripe, List<String> counters) {

        /** The call's keys: the stripe's clock, then the counters. */
        List<String> keys(CounterStripes stripes) {
            List<String> keys = new ArrayList<>(counters.size() + 1);
            keys.add(stripes.clockKey(stripe));
            counters.forEach(counter -> keys.add(stripes.key(counter)));
            return keys;
        }
    }

    /** {@code counters} grouped by stripe, each group at most {@code maxPerGroup}, in first-seen order. */
    static List<Group> groups(Collection<String> counters, int maxPerGroup) {
        Map<Integer, List<String>> byStripe = new LinkedHashMap<>();
        for (String counter : counters) {
            byStripe.computeIfAbsent(stripeOf(counter), s -> new ArrayList<>()).add(counter);
        }
        List<Group> out = new ArrayList<>(byStripe.size());
        byStripe.forEach((stripe, group) -> {
            for (int from = 0; from < group.size(); from += maxPerGroup) {
                out.add(new Group(stripe, List.copyOf(group.subList(from, Math.min(group.size(), from + maxPerGroup)))));
            }
        });
        return out;
    }

    /** The call keys of every group. */
    List<List<String>> keys(List<Group> groups) {
        List<List<String>> keys = new ArrayList<>(groups.size());
        groups.forEach(group -> keys.add(group.keys(this)));
        return keys;
    }

    /** For each stripe, the first short name (by counting in base 36) whose slot is in its range. */
    private static String[] hashTags() {
        String[] tags = new String[STRIPES];
        int found = 0;
        for (int n = 0; found < STRIPES; n++) {
            String tag = "s" + Integer.toString(n, 36);
            int slot = CRC16.crc16(tag.getBytes(StandardCharsets.UTF_8)) % 16384;
            int stripe = slot * STRIPES / 16384;
            if (tags[stripe] == null) {
                tags[stripe] = tag;
                found++;
            }
        }
        return tags;
    }
}
