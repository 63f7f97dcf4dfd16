package io.loom.cache.config;

import io.loom.cache.invalidation.EntityNames;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Layers one {@code loom.cache} section over another: a key of the upper layer replaces the same
 * setting of the lower one, mappings are merged key by key. Setting names match in their
 * normalized spelling ({@code default_ttl} = {@code default-ttl}), TTL keys by the entity they
 * name ({@code Book} = {@code book}), backend aliases exactly.
 */
final class SectionMerge {

    private SectionMerge() {
    }

    static Map<String, Object> merge(Map<String, ?> lower, Map<String, ?> upper) {
        return merge(lower, upper, Level.SETTINGS);
    }

    private enum Level { SETTINGS, TTL, ALIASES }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> merge(Map<String, ?> lower, Map<String, ?> upper, Level level) {
        Map<String, Object> out = new LinkedHashMap<>(lower);
        for (Map.Entry<String, ?> e : upper.entrySet()) {
            String key = String.valueOf(e.getKey());
            String existing = null;
            for (String candidate : out.keySet()) {
                if (same(level, candidate, key)) {
                    existing = candidate;
                    break;
                }
            }
            Object below = existing == null ? null : out.remove(existing);
            Object value = e.getValue();
            if (below instanceof Map<?, ?> b && value instanceof Map<?, ?> v) {
                value = merge((Map<String, ?>) b, (Map<String, ?>) v, childLevel(level, key));
            }
            out.put(key, value);
        }
        return out;
    }

    private static Level childLevel(Level level, String key) {
        if (level == Level.SETTINGS) {
            String normalized = CacheConfigLoader.normalize(key);
            if (normalized.equals(CacheSettings.TTL)) {
                return Level.TTL;
            }
            if (normalized.equals(CacheSettings.BACKENDS)) {
                return Level.ALIASES;
            }
        }
        return Level.SETTINGS;
    }

    private static boolean same(Level level, String a, String b) {
        return switch (level) {
            case SETTINGS -> CacheConfigLoader.normalize(a).equals(CacheConfigLoader.normalize(b));
            case TTL -> EntityNames.normalize(a).equals(EntityNames.normalize(b));
            case ALIASES -> a.equals(b);
        };
    }
}
