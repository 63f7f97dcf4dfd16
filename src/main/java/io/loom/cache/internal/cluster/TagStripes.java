package io.loom.cache.internal.cluster;

/**
 * Entity tags ({@code e:<entity>}) striped over several counters, so the hits of one entity do
 * not all validate against one counter on one master. Every entry of an entity depends on its
 * entity tag, which only bulk or native writes and explicit invalidations move: an entry depends
 * on one stripe (chosen by its key) and a bump of the tag moves every stripe. The entry's stamp
 * keeps the logical tag (near caches match messages against it) with the generation
 * {@code <stripe>/<value>}, so validating a stamp needs no entry key.
 *
 * <p>Which stripe an entry uses is free (its stamp says which), as long as its miss and its store
 * agree. An entry whose tags are all known before its load (a lookup by id) takes the stripe
 * whose slot is farthest (around the ring of 16384 slots) from the slot of its first other tag
 * (the row counter); any other (a list learns its rows' tags from its load) takes the stripe of
 * its key. On a cluster whose masters own ranges of slots, the two counters a lookup's hit validates
 * are then on two masters, read in parallel (still one round trip), and the validations of a hot
 * row are split between two masters instead of doubling the load of one. (Measured against the
 * nearest stripe, which puts both on one master: with Zipf-distributed reads the hottest row alone
 * is a tenth of them, and its master took 45% of the commands instead of below 40%.)
 */
final class TagStripes {

    /** Counters per entity tag: 64 spread an entity's validations evenly over the masters of a small cluster. */
    static final int STRIPES = 64;

    /**
     * For the stripe of an entry's anchor tag, the stripe whose slot is farthest from it around
     * the ring (CounterStripes puts every counter of a stripe in one slot, so this is fixed).
     */
    private final int[] farthestFrom = new int[STRIPES];

    TagStripes(ClusterCalls calls, CounterStripes counters) {
        int[] slots = new int[STRIPES];
        for (int stripe = 0; stripe < STRIPES; stripe++) {
            slots[stripe] = calls.slot(counters.clockKey(stripe));
        }
        for (int anchor = 0; anchor < STRIPES; anchor++) {
            int bestDistance = -1;
            for (int stripe = 0; stripe < STRIPES; stripe++) {
                int apart = Math.abs(slots[stripe] - slots[anchor]);
                int distance = Math.min(apart, 16384 - apart);
                if (distance > bestDistance) {
                    farthestFrom[anchor] = stripe;
                    bestDistance = distance;
                }
            }
        }
    }

    /** The stripe an entry stamped with {@code tags}, all known before its load, depends on. */
    int stripeFor(String entryKey, java.util.Collection<String> tags) {
        String striped = null;
        String anchor = null;
        for (String tag : tags) {
            if (striped(tag)) {
                striped = striped == null || tag.compareTo(striped) < 0 ? tag : striped;
            } else {
                anchor = anchor == null || tag.compareTo(anchor) < 0 ? tag : anchor;
            }
        }
        if (striped == null || anchor == null) {
            return stripeOf(entryKey);
        }
        return farthestFrom[CounterStripes.stripeOf(anchor)];
    }

    static boolean striped(String tag) {
        return tag.startsWith("e:");
    }

    /** The stripe of an entry with no other tag to be near: by its key. */
    static int stripeOf(String entryKey) {
        return (entryKey.hashCode() & 0x7fffffff) % STRIPES;
    }

    /** The key suffix of one stripe's counter. */
    static String counter(String tag, int stripe) {
        return tag + "#" + stripe;
    }

    /** A stamped generation of a striped tag. */
    static String generation(int stripe, String value) {
        return stripe + "/" + value;
    }

    /** The stripe of a stamped generation, or -1 when it is not of the striped form. */
    static int stripeOfGeneration(String generation) {
        int slash = generation.indexOf('/');
        if (slash <= 0) {
            return -1;
        }
        try {
            int stripe = Integer.parseInt(generation.substring(0, slash));
            return stripe >= 0 && stripe < STRIPES ? stripe : -1;
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    static String valueOfGeneration(String generation) {
        return generation.substring(generation.indexOf('/') + 1);
    }
}
