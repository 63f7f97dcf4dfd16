package io.loom.cache.internal.commit;

import io.loom.cache.invalidation.CommittedChanges;
import io.loom.cache.invalidation.DependencyResolver;
import io.loom.cache.invalidation.Fingerprint;
import io.loom.cache.invalidation.GenerationalDependencyResolver;
import io.loom.cache.invalidation.RowRef;
import io.loom.cache.invalidation.Tags;

import java.util.List;

/**
 * The resolver a cache hands out: tags and fingerprints from the generational rules, every bump
 * delivered by the {@link InvalidationPublisher} (attempted at once within the bump budget, kept
 * and retried when the backend fails, the node's reads bypassing the cache meanwhile). So no
 * caller can move counters past the retry and guard logic, and no bump throws. Thread-safe.
 */
public final class DeliveredResolver implements DependencyResolver {

    private final GenerationalDependencyResolver rules;
    private final InvalidationPublisher publisher;

    public DeliveredResolver(GenerationalDependencyResolver rules, InvalidationPublisher publisher) {
        this.rules = rules;
        this.publisher = publisher;
    }

    @Override
    public Fingerprint fingerprint(List<String> tags) {
        return rules.fingerprint(tags);
    }

    @Override
    public boolean isCurrent(Fingerprint stamp) {
        return rules.isCurrent(stamp);
    }

    @Override
    public void bump(CommittedChanges changes) {
        publisher.publish(changes);
    }

    @Override
    public void bumpRow(RowRef row) {
        publisher.publish(Tags.movedByRow(row));
    }
}
