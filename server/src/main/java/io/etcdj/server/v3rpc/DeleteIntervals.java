package io.etcdj.server.v3rpc;

import java.util.Arrays;
import java.util.Map;
import java.util.TreeMap;

/**
 * The keys a Txn branch deletes, as disjoint half-open intervals of byte strings, answering "does
 * a delete cover this key?" in O(log n) (etcd keeps an interval tree for the same question).
 *
 * <p>The intervals are etcd's: a delete of one key is {@code [key, key+"\0")}, a range delete is
 * {@code [key, range_end)} taken literally. So a delete with {@code range_end = "\0"} ("every key
 * ≥ key" on the wire) is an empty interval here and covers nothing: etcd's duplicate check lets a
 * put of a key inside such a delete through, and so do we (docs/kv.md).
 */
final class DeleteIntervals {
    /** begin → end; disjoint, non-adjacent, non-empty. */
    private final TreeMap<byte[], byte[]> intervals = new TreeMap<>(Arrays::compareUnsigned);

    void addKey(byte[] key) {
        byte[] end = Arrays.copyOf(key, key.length + 1); // key + "\0": the next key in byte order
        add(key, end);
    }

    void add(byte[] begin, byte[] end) {
        if (Arrays.compareUnsigned(begin, end) >= 0) {
            return; // empty: covers no key
        }
        byte[] newBegin = begin;
        byte[] newEnd = end;
        Map.Entry<byte[], byte[]> before = intervals.floorEntry(begin);
        if (before != null && Arrays.compareUnsigned(before.getValue(), begin) >= 0) {
            newBegin = before.getKey();
            newEnd = max(newEnd, before.getValue());
            intervals.remove(before.getKey());
        }
        // Swallow every interval starting inside the new one.
        for (Map.Entry<byte[], byte[]> next = intervals.ceilingEntry(newBegin);
                next != null && Arrays.compareUnsigned(next.getKey(), newEnd) <= 0;
                next = intervals.ceilingEntry(newBegin)) {
            newEnd = max(newEnd, next.getValue());
            intervals.remove(next.getKey());
        }
        intervals.put(newBegin, newEnd);
    }

    void addAll(DeleteIntervals other) {
        for (Map.Entry<byte[], byte[]> e : other.intervals.entrySet()) {
            add(e.getKey(), e.getValue());
        }
    }

    boolean covers(byte[] key) {
        Map.Entry<byte[], byte[]> at = intervals.floorEntry(key);
        return at != null && Arrays.compareUnsigned(key, at.getValue()) < 0;
    }

    private static byte[] max(byte[] a, byte[] b) {
        return Arrays.compareUnsigned(a, b) >= 0 ? a : b;
    }
}
