package io.loom.cache.gateway;

/**
 * What a gateway stores. Detected when a gateway is built, from whether its alias has a
 * serializer; there is no manual flag.
 */
public enum GatewayMode {
    /** A serializer is configured: values are stored as MessagePack bytes ({@code byte[]}). */
    DATA,
    /** No serializer: values are raw 64-bit integers ({@code Long}; in Redis, integer strings). */
    COUNTER
}
