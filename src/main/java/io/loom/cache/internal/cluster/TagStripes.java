package io.loom.cache.internal.cluster;

/**
 * Entity tags ({@code e:<entity>}) striped over several counters, so the hits of one entity do
 * not all validate against one counter on one master. Every entry of an entity depends on its
 * entity tag, which only bulk or native writes and explicit invalidations move: an entry depends
 * on one stripe (chosen by its key) and a bump of the tag moves every stripe. The entry's stamp
 * keeps the logical tag (near caches match messages against it) with the generation
 * {@code <stripe>/<value>}, so validating a stamp needs no entry key.
 */
final class TagStripes {

    /** Counters per entity tag: with 16 stripes an entity's validations cover every master of a small cluster. */
    static final int STRIPES = 16;

    private TagStripes() {
    }

    static boolean striped(String tag) {
        return tag.startsWith("e:");
    }

    /** The stripe an entry's key depends on. */
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
