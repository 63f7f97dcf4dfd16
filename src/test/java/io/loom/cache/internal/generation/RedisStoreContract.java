package io.loom.cache.internal.generation;

import org.redisson.api.RedissonClient;
import org.redisson.client.codec.ByteArrayCodec;

import java.util.UUID;

/** The generation-store contract for a store on Redis: keys under one namespace, reached with one client. */
abstract class RedisStoreContract extends GenerationStoreContract {

    /** The client the test reaches the store's keys with. */
    protected abstract RedissonClient client();

    /** The namespace every key of the test's stores starts with. */
    protected abstract String namespace();

    @Override
    protected String entryKey(String name) {
        return "entry:" + name + ":" + UUID.randomUUID();
    }

    @Override
    protected void loseCounter(String tag) {
        // On one server the counter is <prefix>tag; on a cluster <prefix>{stripe}tag.
        client().getKeys().deleteByPattern(namespace() + "*:gen:" + tag);
        client().getKeys().deleteByPattern(namespace() + "*:gen:{*}" + tag);
    }

    @Override
    protected void writeRaw(String entryKey, byte[] bytes) {
        client().getBucket(namespace() + entryKey, ByteArrayCodec.INSTANCE).set(bytes);
    }
}
