package io.loom.cache.config;

import io.loom.cache.error.LoomException;

/** A cache configuration is invalid. The message and {@link #key()} name the offending setting. */
public class CacheConfigException extends LoomException {

    private final String key;

    /**
     * @param key     the setting at fault, as written in configuration (for example
     *                {@code loom.cache.backends.default.timeout}), never null
     * @param message what is wrong with it
     */
    public CacheConfigException(String key, String message) {
        super(key + ": " + message);
        this.key = key;
    }

    public CacheConfigException(String key, String message, Throwable cause) {
        super(key + ": " + message, cause);
        this.key = key;
    }

    /** The offending setting's key. */
    public String key() {
        return key;
    }
}
