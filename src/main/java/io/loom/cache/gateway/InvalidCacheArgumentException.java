package io.loom.cache.gateway;

import io.loom.cache.error.LoomException;

/**
 * A cache call was made with an argument it cannot accept: a null or blank key, an empty key
 * list, a non-positive TTL, or a value of the wrong kind for the gateway's mode.
 */
public class InvalidCacheArgumentException extends LoomException {

    public InvalidCacheArgumentException(String message) {
        super(message);
    }
}
