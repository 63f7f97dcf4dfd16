package io.loom.cache.spring.actuate;

import io.loom.cache.LoomCache;
import io.loom.cache.hibernate.OutboxStatus;
import io.loom.cache.stats.CacheStats;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;

import java.util.Optional;

/**
 * Health of Loom Cache, always UP: Loom fails open (reads fall back to the database, writes
 * commit), so an unavailable cache backend degrades speed, not the application, and must not take
 * the instance out of a load balancer. The details say how degraded it is: {@code backend}
 * {@code available} or {@code circuit-open}, {@code undeliveredInvalidations} (committed
 * transactions whose invalidations have not reached the backend; reads bypass the cache while
 * there are any), {@code outboxRows} (rows of the durable outbox not swept yet), and the
 * {@code fallbacks}, {@code bypasses} and {@code bumpFailures} counted since start.
 */
// Actuator health is optional: this indicator is configured only when the application has it.
@SuppressWarnings("exports")
public final class LoomCacheHealthIndicator implements HealthIndicator {

    private final LoomCache cache;
    private final Optional<OutboxStatus> outbox;

    public LoomCacheHealthIndicator(LoomCache cache, Optional<OutboxStatus> outbox) {
        this.cache = cache;
        this.outbox = outbox;
    }

    @Override
    public Health health() {
        CacheStats stats = cache.stats();
        int undelivered = cache.pendingInvalidations();
        boolean available = cache.backendAvailable();
        Health.Builder health = Health.up()
                .withDetail("enabled", cache.config().enabled())
                .withDetail("backend", available ? "available" : "circuit-open")
                .withDetail("degraded", !available || undelivered > 0)
                .withDetail("undeliveredInvalidations", undelivered)
                .withDetail("fallbacks", stats.fallbacks())
                .withDetail("bypasses", stats.bypasses())
                .withDetail("bumpFailures", stats.bumpFailures());
        outbox.ifPresent(o -> {
            try {
                health.withDetail("outboxRows", o.rows());
            } catch (RuntimeException e) {
                health.withDetail("outboxRows", "unavailable: " + e.getMessage());
            }
        });
        return health.build();
    }
}
