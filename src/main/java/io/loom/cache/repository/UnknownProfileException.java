package io.loom.cache.repository;

import io.loom.cache.error.LoomException;

import java.util.Set;
import java.util.TreeSet;

/** A loading profile name the repository does not declare. */
public class UnknownProfileException extends LoomException {

    private final String profile;

    public UnknownProfileException(String entity, String profile, Set<String> known) {
        super("unknown loading profile '" + profile + "' for entity '" + entity + "'; known profiles: "
                + new TreeSet<>(known));
        this.profile = profile;
    }

    /** The offending profile name, possibly null. */
    public String profile() {
        return profile;
    }
}
