package io.loom.cache.internal.generation;

import io.loom.cache.gateway.GenerationStore;
import io.loom.cache.invalidation.Fingerprint;

import java.time.Duration;
import java.util.Collection;
import java.util.List;

/**
 * A {@link GenerationStore} that forwards every call to another one: tests extend it and override
 * only the calls they pause or count.
 */
public abstract class ForwardingGenerationStore implements GenerationStore {

    private final GenerationStore delegate;

    protected ForwardingGenerationStore(GenerationStore delegate) {
        this.delegate = delegate;
    }

    @Override
    public ReadResult read(String entryKey, List<String> epochTags) {
        return delegate.read(entryKey, epochTags);
    }

    @Override
    public ReadResult read(String entryKey, Collection<String> expectedTags, List<String> epochTags) {
        return delegate.read(entryKey, expectedTags, epochTags);
    }

    @Override
    public ReadResult readKnowingSomeTags(String entryKey, Collection<String> someTags, List<String> epochTags) {
        return delegate.readKnowingSomeTags(entryKey, someTags, epochTags);
    }

    @Override
    public Fingerprint stamp(String entryKey, byte[] payload, Collection<String> tags, List<EpochValue> watched,
                             long since, Duration entryTtl, boolean tagsKnownToCaller) {
        return delegate.stamp(entryKey, payload, tags, watched, since, entryTtl, tagsKnownToCaller);
    }

    @Override
    public long bump(Collection<String> epochTags, Collection<String> tags) {
        return delegate.bump(epochTags, tags);
    }

    @Override
    public boolean isCurrent(Fingerprint stamp) {
        return delegate.isCurrent(stamp);
    }

    @Override
    public List<String> generations(List<String> tags) {
        return delegate.generations(tags);
    }

    @Override
    public void evict(String entryKey) {
        delegate.evict(entryKey);
    }

    @Override
    public void close() {
        delegate.close();
    }
}
