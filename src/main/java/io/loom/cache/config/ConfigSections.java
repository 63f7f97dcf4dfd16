package io.loom.cache.config;

import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;
import org.yaml.snakeyaml.error.YAMLException;

import java.io.IOException;
import java.io.Reader;
import java.io.StringReader;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Properties;

import static io.loom.cache.config.CacheSettings.*;

/**
 * The {@code loom.cache} section of each configuration source as one nested mapping: a parsed
 * mapping, YAML text (safe constructor: plain maps, lists and scalars only) or flat properties.
 */
final class ConfigSections {

    private ConfigSections() {
    }

    /** The {@code loom.cache} section of a parsed mapping (see {@link #mapping}). */
    static Map<String, ?> section(Map<String, ?> mapping) {
        Objects.requireNonNull(mapping, "mapping");
        Map<String, ?> section = mapping;
        if (mapping.size() == 1 && mapping.containsKey("loom")) {
            Object loom = mapping.get("loom");
            Map<String, ?> loomMap = asMap("loom", loom);
            if (loomMap.size() != 1 || !loomMap.containsKey("cache")) {
                throw new CacheConfigException("loom", "expected exactly one key 'cache', got " + loomMap.keySet());
            }
            section = asMap("loom.cache", loomMap.get("cache"));
        }
        return section;
    }


    static Map<String, ?> yamlSection(String yamlText) {
        Objects.requireNonNull(yamlText, "yamlText");
        Object root;
        try (Reader r = new StringReader(yamlText)) {
            root = new Yaml(new SafeConstructor(new LoaderOptions())).load(r);
        } catch (YAMLException | IOException e) {
            throw new CacheConfigException("yaml", "not valid YAML: " + e.getMessage(), e);
        }
        if (root == null) {
            return Map.of();
        }
        return section(asMap("yaml", root));
    }


    static Map<String, Object> propertiesSection(Map<?, ?> properties) {
        Objects.requireNonNull(properties, "properties");
        Map<String, Object> section = new LinkedHashMap<>();
        Map<?, ?> source = properties;
        if (properties instanceof Properties p) {
            Map<String, String> copy = new LinkedHashMap<>();
            p.stringPropertyNames().forEach(n -> copy.put(n, p.getProperty(n)));
            source = copy;
        }
        for (Map.Entry<?, ?> e : source.entrySet()) {
            String full = String.valueOf(e.getKey());
            if (!full.startsWith(PROPERTY_PREFIX)) {
                continue;
            }
            String rest = full.substring(PROPERTY_PREFIX.length());
            Object value = e.getValue();
            if (rest.startsWith(TTL + ".")) {
                nested(section, TTL).put(rest.substring(TTL.length() + 1), value);
            } else if (rest.indexOf('.') > 0 && CacheConfigLoader.normalize(rest.substring(0, rest.indexOf('.'))).equals(NEAR_CACHE)) {
                nested(section, NEAR_CACHE).put(rest.substring(rest.indexOf('.') + 1), value);
            } else if (rest.indexOf('.') > 0 && CacheConfigLoader.normalize(rest.substring(0, rest.indexOf('.'))).equals(BUMP)) {
                nested(section, BUMP).put(rest.substring(rest.indexOf('.') + 1), value);
            } else if (rest.startsWith(BACKENDS + ".")) {
                String tail = rest.substring(BACKENDS.length() + 1);
                int dot = tail.indexOf('.');
                if (dot <= 0 || dot == tail.length() - 1) {
                    throw new CacheConfigException(full, "expected " + PROPERTY_PREFIX + "backends.<alias>.<setting>");
                }
                nested(nested(section, BACKENDS), tail.substring(0, dot)).put(tail.substring(dot + 1), value);
            } else {
                section.put(rest, value);
            }
        }
        return section;
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> nested(Map<String, Object> parent, String key) {
        return (Map<String, Object>) parent.computeIfAbsent(key, k -> new LinkedHashMap<String, Object>());
    }

    @SuppressWarnings("unchecked")
    static Map<String, ?> asMap(String key, Object value) {
        if (!(value instanceof Map<?, ?> m)) {
            throw new CacheConfigException(key, "expected a mapping, got " + (value == null ? "nothing" : "'" + value + "'"));
        }
        Map<String, Object> copy = new LinkedHashMap<>();
        m.forEach((k, v) -> copy.put(String.valueOf(k), v));
        return copy;
    }
}
