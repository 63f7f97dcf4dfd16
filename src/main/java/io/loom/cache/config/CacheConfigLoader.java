package io.loom.cache.config;


import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static io.loom.cache.config.CacheSettings.*;

/**
 * Builds a {@link CacheConfig} from a parsed mapping, YAML or flat {@code loom.cache.*}
 * properties. Keys, units and defaults are listed on {@link CacheSettings}. String values may
 * contain {@code ${NAME}} or {@code ${NAME:default}}, resolved from the environment given at
 * construction (the process environment for the static methods).
 *
 * <p>Instances are immutable and thread-safe. Every method throws {@link CacheConfigException}
 * naming the offending key.
 */
public final class CacheConfigLoader {

    private static final Pattern PLACEHOLDER = Pattern.compile("\\$\\{([A-Za-z_][A-Za-z0-9_.]*)(?::([^}]*))?}");
    private static final CacheConfigLoader SYSTEM = new CacheConfigLoader(System::getenv);

    private final Function<String, String> environment;

    /** @param environment variable lookup for {@code ${...}}, returning null when unset; never null */
    public CacheConfigLoader(Function<String, String> environment) {
        this.environment = Objects.requireNonNull(environment, "environment");
    }

    /** A loader resolving placeholders from the process environment. */
    public static CacheConfigLoader system() {
        return SYSTEM;
    }

    /** {@link #mapping(Map)} with the process environment. */
    public static CacheConfig fromMapping(Map<String, ?> mapping) {
        return SYSTEM.mapping(mapping);
    }

    /** {@link #yaml(String)} with the process environment. */
    public static CacheConfig fromYaml(String yamlText) {
        return SYSTEM.yaml(yamlText);
    }

    /** Reads a YAML file with the process environment. */
    public static CacheConfig fromYaml(Path file) {
        try {
            return SYSTEM.yaml(Files.readString(file, StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read cache configuration " + file, e);
        }
    }

    /** Reads YAML from a stream (not closed) with the process environment. */
    public static CacheConfig fromYaml(InputStream in) {
        try {
            return SYSTEM.yaml(new String(in.readAllBytes(), StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read cache configuration", e);
        }
    }

    /** {@link #properties(Map)} with the process environment. */
    public static CacheConfig fromProperties(Map<?, ?> properties) {
        return SYSTEM.properties(properties);
    }

    /**
     * Builds a configuration from a parsed mapping: either the {@code loom.cache} section itself,
     * or a root mapping holding {@code loom: {cache: {...}}}.
     */
    public CacheConfig mapping(Map<String, ?> mapping) {
        return parseSection(ConfigSections.section(mapping));
    }

    /** Parses YAML text (safe constructor: plain maps, lists and scalars only). */
    public CacheConfig yaml(String yamlText) {
        return parseSection(ConfigSections.yamlSection(yamlText));
    }

    /**
     * Layers flat {@code loom.cache.*} properties over a YAML text: the file gives the base, each
     * property overrides the setting it names (keys compared in their normalized spelling: TTL
     * keys by entity, backend settings per alias), settings the properties leave out keep the
     * file's value.
     */
    public CacheConfig layered(String yamlText, Map<?, ?> properties) {
        return parseSection(SectionMerge.merge(ConfigSections.yamlSection(yamlText), ConfigSections.propertiesSection(properties)));
    }

    /**
     * {@link #layered} over a YAML file with the process environment.
     *
     * @param setting the setting that named the file, for the message when it cannot be read
     * @throws CacheConfigException naming {@code setting} and the path when the file is missing or unreadable
     */
    public static CacheConfig fromYamlAndProperties(String setting, Path file, Map<?, ?> properties) {
        String text;
        try {
            text = Files.readString(file, StandardCharsets.UTF_8);
        } catch (java.nio.file.NoSuchFileException e) {
            throw new CacheConfigException(setting, "the configuration file " + file.toAbsolutePath()
                    + " does not exist", e);
        } catch (IOException e) {
            throw new CacheConfigException(setting, "the configuration file " + file.toAbsolutePath()
                    + " cannot be read: " + e, e);
        }
        return SYSTEM.layered(text, properties);
    }

    /**
     * Builds a configuration from flat properties such as {@code loom.cache.default-ttl=300},
     * {@code loom.cache.ttl.user=60}, {@code loom.cache.backends.default.type=redis}. Keys without
     * the {@code loom.cache.} prefix are ignored.
     */
    public CacheConfig properties(Map<?, ?> properties) {
        return parseSection(ConfigSections.propertiesSection(properties));
    }

    private CacheConfig parseSection(Map<String, ?> section) {
        CacheConfig.Builder b = CacheConfig.builder();
        for (Map.Entry<String, ?> e : section.entrySet()) {
            String raw = String.valueOf(e.getKey());
            String key = normalize(raw);
            Object value = resolve(raw, e.getValue());
            switch (key) {
                case ENABLED -> b.enabled(bool(key, value));
                case ALIAS -> b.alias(nullableString(value));
                case COUNTER_ALIAS -> b.counterAlias(nullableString(value));
                case DEFAULT_TTL -> b.defaultTtl(seconds(key, value));
                case DEFAULT_LIST_TTL -> b.defaultListTtl(seconds(key, value));
                case NEGATIVE_TTL -> b.negativeTtl(seconds(key, value));
                case MAX_SIZE -> b.maxSize(value == null ? null : integer(key, value));
                case MAX_VALUE_BYTES -> b.maxValueBytes(integer(key, value));
                case TTL -> {
                    if (value != null) {
                        ConfigSections.asMap(key, value).forEach((entity, d) ->
                                b.ttl(entity, seconds(TTL + "." + entity, resolve(TTL + "." + entity, d))));
                    }
                }
                case NEAR_CACHE -> {
                    if (value != null) {
                        b.nearCache(nearCache(ConfigSections.asMap(key, value)));
                    }
                }
                case BUMP -> {
                    if (value != null) {
                        b.bump(bump(ConfigSections.asMap(key, value)));
                    }
                }
                case BACKENDS -> {
                    if (value != null) {
                        ConfigSections.asMap(key, value).forEach((alias, settings) ->
                                b.backend(alias, backend(alias, ConfigSections.asMap(BACKENDS + "." + alias, settings))));
                    }
                }
                default -> throw new CacheConfigException(raw, "unknown setting; known: " + java.util.List.of(
                        ENABLED, ALIAS, COUNTER_ALIAS, DEFAULT_TTL, DEFAULT_LIST_TTL, NEGATIVE_TTL, TTL, MAX_SIZE,
                        MAX_VALUE_BYTES, NEAR_CACHE, BUMP, BACKENDS));
            }
        }
        return b.build();
    }

    /** Parses the keys of {@code near-cache}. */
    private NearCacheSettings nearCache(Map<String, ?> map) {
        NearCacheMode mode = NearCacheSettings.DEFAULT.mode();
        long maxEntries = NearCacheSettings.DEFAULT_MAX_ENTRIES;
        Duration maxLag = NearCacheSettings.DEFAULT_MAX_LAG;
        Duration lease = NearCacheSettings.DEFAULT_LEASE;
        Duration renewal = null;
        Duration driftMargin = NearCacheSettings.DEFAULT_DRIFT_MARGIN;
        Duration ackTimeout = null;
        String prefix = NEAR_CACHE + ".";
        for (Map.Entry<String, ?> e : map.entrySet()) {
            String key = normalize(e.getKey());
            Object value = resolve(prefix + e.getKey(), e.getValue());
            switch (key) {
                case NEAR_MODE -> {
                    String text = String.valueOf(required(prefix + key, value));
                    mode = NearCacheMode.parse(text);
                    if (mode == null) {
                        throw new CacheConfigException(prefix + key, "unknown near-cache mode '" + text
                                + "' (supported: off, validated, pushed, leased)");
                    }
                }
                case NEAR_MAX_ENTRIES -> maxEntries = integer(prefix + key, value);
                case NEAR_MAX_LAG -> maxLag = Durations.parse(prefix + key, required(prefix + key, value), true);
                case NEAR_LEASE -> lease = Durations.parse(prefix + key, required(prefix + key, value), true);
                case NEAR_RENEWAL -> renewal = Durations.parse(prefix + key, required(prefix + key, value), true);
                case NEAR_DRIFT_MARGIN -> driftMargin = Durations.parse(prefix + key, required(prefix + key, value), true);
                case NEAR_ACK_TIMEOUT -> ackTimeout = Durations.parse(prefix + key, required(prefix + key, value), true);
                default -> throw new CacheConfigException(prefix + e.getKey(), "unknown near-cache setting; known: "
                        + java.util.List.of(NEAR_MODE, NEAR_MAX_ENTRIES, NEAR_MAX_LAG, NEAR_LEASE, NEAR_RENEWAL,
                        NEAR_DRIFT_MARGIN, NEAR_ACK_TIMEOUT));
            }
        }
        return new NearCacheSettings(mode, maxEntries, maxLag, lease,
                renewal == null ? lease.dividedBy(3) : renewal, driftMargin,
                ackTimeout == null ? lease.plus(driftMargin) : ackTimeout);
    }

    /** Parses the keys of {@code bump}. */
    private BumpSettings bump(Map<String, ?> map) {
        BumpSettings d = BumpSettings.DEFAULT;
        Duration timeout = d.timeout();
        int replicas = d.replicas();
        Duration replicaTimeout = d.replicaTimeout();
        int maxCounters = d.maxCountersPerCall();
        String prefix = BUMP + ".";
        for (Map.Entry<String, ?> e : map.entrySet()) {
            String key = normalize(e.getKey());
            String full = prefix + key;
            Object value = resolve(prefix + e.getKey(), e.getValue());
            switch (key) {
                case BUMP_TIMEOUT -> timeout = Durations.parse(full, required(full, value), true);
                case BUMP_REPLICAS -> replicas = Math.toIntExact(integer(full, value));
                case BUMP_REPLICA_TIMEOUT -> replicaTimeout = Durations.parse(full, required(full, value), true);
                case BUMP_MAX_COUNTERS_PER_CALL -> maxCounters = Math.toIntExact(integer(full, value));
                default -> throw new CacheConfigException(prefix + e.getKey(), "unknown bump setting; known: "
                        + java.util.List.of(BUMP_TIMEOUT, BUMP_REPLICAS, BUMP_REPLICA_TIMEOUT, BUMP_MAX_COUNTERS_PER_CALL));
            }
        }
        return new BumpSettings(timeout, replicas, replicaTimeout, maxCounters);
    }

    /**
     * Parses the settings of one alias (the keys of {@code backends.<alias>}).
     *
     * @throws CacheConfigException naming the bad key
     */
    public BackendSettings backend(String alias, Map<String, ?> map) {
        Objects.requireNonNull(alias, "alias");
        Objects.requireNonNull(map, "map");
        String prefix = BACKENDS + "." + alias + ".";
        BackendType type = BackendType.MEMORY;
        for (Map.Entry<String, ?> e : map.entrySet()) {
            if (normalize(e.getKey()).equals(TYPE)) {
                String text = nullableString(resolve(prefix + TYPE, e.getValue()));
                type = text == null ? null : BackendType.parse(text);
                if (type == null) {
                    throw new CacheConfigException(prefix + TYPE, "unknown backend type '" + text
                            + "' (supported: memory, redis)");
                }
            }
        }
        BackendSettings.Builder b = BackendSettings.builder(type).keyPrefix(prefix);
        for (Map.Entry<String, ?> e : map.entrySet()) {
            String key = normalize(e.getKey());
            String full = prefix + key;
            Object value = resolve(full, e.getValue());
            switch (key) {
                case TYPE -> { }
                case SERIALIZER -> b.serializer(nullableString(value));
                case NAMESPACE -> b.namespace(nullableString(value));
                case ADDRESS -> b.address(nullableString(value));
                case REDISSON_CONFIG -> b.redissonConfig(nullableString(value));
                case DATABASE -> b.database(Math.toIntExact(integer(full, value)));
                case USERNAME -> b.username(nullableString(value));
                case PASSWORD -> b.password(nullableString(value));
                case TIMEOUT -> b.timeout(Durations.parse(full, required(full, value), true));
                case CONNECT_TIMEOUT -> b.connectTimeout(Durations.parse(full, required(full, value), true));
                case RETRY_ATTEMPTS -> b.retryAttempts(Math.toIntExact(integer(full, value)));
                case MAX_SIZE -> b.maxSize(value == null ? null : integer(full, value));
                default -> throw new CacheConfigException(prefix + e.getKey(), "unknown backend setting; known: "
                        + java.util.List.of(TYPE, SERIALIZER, NAMESPACE, ADDRESS, REDISSON_CONFIG, DATABASE, USERNAME,
                        PASSWORD, TIMEOUT, CONNECT_TIMEOUT, RETRY_ATTEMPTS, MAX_SIZE));
            }
        }
        return b.build();
    }

    /** Lower-kebab-case: {@code defaultTtl}, {@code default_ttl} and {@code default-ttl} are one key. */
    static String normalize(String key) {
        StringBuilder sb = new StringBuilder(key.length() + 4);
        for (int i = 0; i < key.length(); i++) {
            char c = key.charAt(i);
            if (Character.isUpperCase(c)) {
                if (i > 0 && sb.charAt(sb.length() - 1) != '-') {
                    sb.append('-');
                }
                sb.append(Character.toLowerCase(c));
            } else {
                sb.append(c == '_' ? '-' : c);
            }
        }
        return sb.toString().toLowerCase(Locale.ROOT);
    }

    private Object resolve(String key, Object value) {
        if (!(value instanceof String s) || !s.contains("${")) {
            return value;
        }
        Matcher m = PLACEHOLDER.matcher(s);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            String found = environment.apply(m.group(1));
            if (found == null) {
                if (m.group(2) == null) {
                    throw new CacheConfigException(key, "environment variable '" + m.group(1)
                            + "' is not set and the placeholder has no default (use ${" + m.group(1) + ":default})");
                }
                found = m.group(2);
            }
            m.appendReplacement(out, Matcher.quoteReplacement(found));
        }
        m.appendTail(out);
        return out.toString();
    }

    private static Object required(String key, Object value) {
        if (value == null) {
            throw new CacheConfigException(key, "must not be empty");
        }
        return value;
    }

    private static Duration seconds(String key, Object value) {
        return Durations.parse(key, required(key, value), false);
    }

    private static boolean bool(String key, Object value) {
        if (value instanceof Boolean b) {
            return b;
        }
        if (value instanceof String s) {
            String t = s.trim().toLowerCase(Locale.ROOT);
            if (t.equals("true") || t.equals("false")) {
                return Boolean.parseBoolean(t);
            }
        }
        throw new CacheConfigException(key, "expected true or false, got '" + value + "'");
    }

    private static long integer(String key, Object value) {
        if (value instanceof Integer || value instanceof Long || value instanceof Short || value instanceof Byte) {
            return ((Number) value).longValue();
        }
        if (value instanceof String s) {
            try {
                return Long.parseLong(s.trim());
            } catch (NumberFormatException e) {
                // fall through
            }
        }
        throw new CacheConfigException(key, "expected an integer, got '" + value + "'");
    }

    private static String nullableString(Object value) {
        if (value == null) {
            return null;
        }
        String s = String.valueOf(value).trim();
        return s.isEmpty() || s.equals("null") || s.equals("~") ? null : s;
    }
}
