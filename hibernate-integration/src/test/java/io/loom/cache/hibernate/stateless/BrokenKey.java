package io.loom.cache.hibernate.stateless;

import jakarta.persistence.Embeddable;

import java.io.Serializable;
import java.util.Objects;

/**
 * A composite id whose {@code toString()} throws, as application code sometimes does: Loom's
 * listener needs the id's text and must not fail the write because of it.
 */
@Embeddable
public class BrokenKey implements Serializable {

    private long part;
    private String region;

    protected BrokenKey() {
    }

    public BrokenKey(long part, String region) {
        this.part = part;
        this.region = region;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof BrokenKey other && part == other.part && Objects.equals(region, other.region);
    }

    @Override
    public int hashCode() {
        return Objects.hash(part, region);
    }

    @Override
    public String toString() {
        throw new IllegalStateException("BrokenKey cannot be printed");
    }
}
