package io.loom.cache.serialization;

import io.loom.cache.error.LoomException;

/**
 * A value could not be encoded to, or decoded from, MessagePack: the bytes are corrupt or
 * foreign, or they do not describe the requested type.
 */
public class SerializationException extends LoomException {

    public SerializationException(String message) {
        super(message);
    }

    public SerializationException(String message, Throwable cause) {
        super(message, cause);
    }
}
