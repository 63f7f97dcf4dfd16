package io.loom.cache.gateway;

import io.loom.cache.error.LoomException;

import java.util.Set;

/** A gateway was requested for an alias that was never registered with {@link CacheGateway}. */
public class UnknownAliasException extends LoomException {

    private final String alias;

    public UnknownAliasException(String alias, Set<String> known) {
        super("unknown cache alias '" + alias + "'; registered aliases: " + known);
        this.alias = alias;
    }

    /** The alias that was asked for. */
    public String alias() {
        return alias;
    }
}
