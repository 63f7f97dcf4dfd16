package io.loom.cache.internal.generation;

import io.loom.cache.gateway.GatewayMode;
import io.loom.cache.gateway.GenerationStore;
import io.loom.cache.internal.backend.MemoryBackend;
import io.loom.cache.testing.TestStores;

import java.time.Duration;

/** The contract when counters share the data alias (the zero-setup default: one memory backend). */
class LocalGenerationStoreOnDataAliasTest extends GenerationStoreContract {

    private MemoryBackend shared;

    @Override
    protected GenerationStore newStore() {
        shared = new MemoryBackend(GatewayMode.DATA);
        return TestStores.memory(shared);
    }

    @Override
    protected String entryKey(String name) {
        return "entry:" + name;
    }

    @Override
    protected void loseCounter(String tag) {
        shared.delete("gen:" + tag);
    }

    @Override
    protected void writeRaw(String entryKey, byte[] bytes) {
        shared.setValue(entryKey, bytes, Duration.ofMinutes(1));
    }
}
