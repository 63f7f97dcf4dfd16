package io.loom.cache.testing;

import com.github.benmanes.caffeine.cache.Ticker;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;

/** A manually advanced Caffeine {@link Ticker} for expiry tests. Thread-safe. */
public final class FakeTicker implements Ticker {

    private final AtomicLong nanos = new AtomicLong(1_000_000_000L);

    @Override
    public long read() {
        return nanos.get();
    }

    /** Moves time forward. */
    public FakeTicker advance(Duration d) {
        nanos.addAndGet(d.toNanos());
        return this;
    }
}
