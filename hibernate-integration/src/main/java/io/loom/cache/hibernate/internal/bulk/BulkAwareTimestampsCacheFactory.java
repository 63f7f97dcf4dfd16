package io.loom.cache.hibernate.internal.bulk;

import org.hibernate.cache.spi.CacheImplementor;
import org.hibernate.cache.spi.TimestampsCache;
import org.hibernate.cache.spi.TimestampsCacheFactory;
import org.hibernate.cache.spi.TimestampsRegion;

import java.util.Objects;

/**
 * Builds the delegate's timestamps cache (Hibernate's standard one, or the application's own) and
 * wraps it so that bulk and native mutations reach the Loom transaction buffer.
 */
public final class BulkAwareTimestampsCacheFactory implements TimestampsCacheFactory {

    private final TimestampsCacheFactory delegate;

    public BulkAwareTimestampsCacheFactory(TimestampsCacheFactory delegate) {
        this.delegate = Objects.requireNonNull(delegate, "delegate");
    }

    @Override
    public TimestampsCache buildTimestampsCache(CacheImplementor cacheImplementor, TimestampsRegion region) {
        return new BulkAwareTimestampsCache(delegate.buildTimestampsCache(cacheImplementor, region));
    }
}
