package io.loom.cache.benchmarks;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.redisson.api.RBucket;
import org.redisson.api.RedissonClient;
import org.redisson.client.codec.ByteArrayCodec;

/**
 * The floor: what one Redis round trip costs. Setup stores every row's msgpack bytes under
 * {@code <prefix>raw:book:<id>} and every category's first page under
 * {@code <prefix>raw:list:<category>}; {@code find} and {@code list} are one Redisson GET with
 * {@link ByteArrayCodec} followed by the msgpack decode. No invalidation: {@link #update} is not
 * supported. Thread-safe.
 */
final class RawRedisReader implements EntityReader {

    private final BenchSettings settings;
    private final RedissonClient redisson;
    private final RowCodec codec = new RowCodec();
    private final String rowPrefix;
    private final String listPrefix;

    RawRedisReader(BenchSettings settings) {
        this.settings = settings;
        this.redisson = RedisKeys.client(settings, 16);
        this.rowPrefix = settings.keyPrefix() + "raw:book:";
        this.listPrefix = settings.keyPrefix() + "raw:list:";
    }

    /** Copies the table's rows and/or first pages into Redis (replaces the default warm-up). */
    @Override
    public void warm(Warming what) {
        Map<String, Object> values = new HashMap<>();
        for (BookRow row : what.rows() ? BenchDatabase.readAll(settings) : List.<BookRow>of()) {
            values.put(rowPrefix + row.id(), codec.encode(row));
        }
        for (int c = 0; c < BenchSettings.CATEGORIES && what.pages(); c++) {
            String category = BookFixture.categoryName(c);
            List<BookRow> page = BenchDatabase.readList(settings, category, BenchSettings.LIST_LIMIT);
            values.put(listPrefix + category, codec.encodeList(page));
        }
        redisson.getBuckets(ByteArrayCodec.INSTANCE).set(values);
    }

    @Override
    public BookRow find(long id) {
        byte[] bytes = get(rowPrefix + id);
        return codec.decode(bytes);
    }

    @Override
    public List<BookRow> list(String category, int limit) {
        if (limit != BenchSettings.LIST_LIMIT) {
            throw new IllegalArgumentException("the raw floor stores pages of " + BenchSettings.LIST_LIMIT
                    + " rows only, not " + limit);
        }
        return codec.decodeList(get(listPrefix + category));
    }

    private byte[] get(String key) {
        RBucket<byte[]> bucket = redisson.getBucket(key, ByteArrayCodec.INSTANCE);
        byte[] bytes = bucket.get();
        if (bytes == null) {
            throw new BenchException("key " + key + " is missing: warm(...) did not cache it");
        }
        return bytes;
    }

    @Override
    public void update(long id) {
        throw new UnsupportedOperationException("the raw Redis floor has no database and no invalidation");
    }

    /** Size in bytes of what {@link #find} reads for this id. */
    int storedBytes(long id) {
        return get(rowPrefix + id).length;
    }

    @Override
    public void close() {
        try {
            RedisKeys.deleteAll(redisson, settings, "raw:");
        } finally {
            redisson.shutdown();
        }
    }
}
