package io.etcdj.server.storage.backend;

import io.etcdj.server.storage.schema.Bucket;
import java.util.Arrays;
import java.util.concurrent.ConcurrentSkipListMap;

/**
 * Writes not yet committed to LMDB: one batch (etcd's txWriteBuffer). The apply thread is its only
 * writer, under the batch lock; readers look values up concurrently. Once handed to the committer
 * the overlay is frozen (no further writes) and stays visible until LMDB holds its contents.
 */
final class Overlay {
    /** Marks a delete; compared by identity. */
    static final byte[] DELETED = new byte[0];

    /** Sequence of this batch; the committer commits batches in this order. */
    final long sequence;
    private final ConcurrentSkipListMap<byte[], byte[]>[] buckets;
    /** Writes buffered; guarded by the batch lock. */
    private int ops;
    /** Key and value bytes buffered; guarded by the batch lock. */
    private long bytes;

    @SuppressWarnings("unchecked")
    Overlay(long sequence) {
        this.sequence = sequence;
        Bucket[] all = Bucket.values();
        this.buckets = new ConcurrentSkipListMap[all.length];
        for (int i = 0; i < all.length; i++) {
            buckets[i] = new ConcurrentSkipListMap<>(Arrays::compareUnsigned);
        }
    }

    void put(Bucket bucket, byte[] key, byte[] value) {
        buckets[bucket.ordinal()].put(key.clone(), value.clone());
        ops++;
        bytes += key.length + value.length;
    }

    void delete(Bucket bucket, byte[] key) {
        buckets[bucket.ordinal()].put(key.clone(), DELETED);
        ops++;
        bytes += key.length;
    }

    /** The buffered value, {@link #DELETED}, or null when this batch did not touch the key. */
    byte[] get(Bucket bucket, byte[] key) {
        return buckets[bucket.ordinal()].get(key);
    }

    ConcurrentSkipListMap<byte[], byte[]> bucket(Bucket bucket) {
        return buckets[bucket.ordinal()];
    }

    int ops() {
        return ops;
    }

    long bytes() {
        return bytes;
    }

    boolean isEmpty() {
        return ops == 0;
    }
}
