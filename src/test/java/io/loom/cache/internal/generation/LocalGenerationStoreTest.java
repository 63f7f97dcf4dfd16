package io.loom.cache.internal.generation;

import io.loom.cache.gateway.GatewayMode;
import io.loom.cache.gateway.GenerationStore;
import io.loom.cache.internal.backend.MemoryBackend;
import io.loom.cache.testing.TestStores;

import java.time.Duration;

/** The generation store contract on the in-memory backends (data and counter aliases apart). */
class LocalGenerationStoreTest extends GenerationStoreContract {

    private MemoryBackend entries;
    private MemoryBackend counters;

    @Override
    protected GenerationStore newStore() {
        entries = new MemoryBackend(GatewayMode.DATA);
        counters = new MemoryBackend(GatewayMode.COUNTER);
        return TestStores.memory(entries, counters);
    }

    @Override
    protected String entryKey(String name) {
        return "entry:" + name;
    }

    @Override
    protected void loseCounter(String tag) {
        counters.delete("gen:" + tag);
    }

    @Override
    protected void writeRaw(String entryKey, byte[] bytes) {
        entries.setValue(entryKey, bytes, Duration.ofMinutes(1));
    }
}
