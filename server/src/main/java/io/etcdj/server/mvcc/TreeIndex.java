package io.etcdj.server.mvcc;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.concurrent.ConcurrentSkipListMap;

/**
 * etcd's treeIndex: user key → {@link KeyIndex} entry, ordered by unsigned byte order. Readers walk
 * it without locks (entries are immutable arrays swapped atomically); the apply thread and the
 * compactor change entries with compare-and-set, so neither blocks the other or a reader.
 */
final class TreeIndex {
    private final ConcurrentSkipListMap<byte[], long[]> tree = new ConcurrentSkipListMap<>(Arrays::compareUnsigned);

    /** A live key at a revision: the revision holding its value. */
    record KeyAt(byte[] key, long modMain, long modSub) {
    }

    /** Revisions in range and the total count (which ignores the limit). */
    record Revisions(List<KeyAt> keys, long total) {
    }

    void put(byte[] key, Revision rev) {
        tree.compute(key.clone(), (k, ki) -> KeyIndex.put(ki, rev.main(), rev.sub()));
    }

    void tombstone(byte[] key, Revision rev) {
        tree.compute(key.clone(), (k, ki) -> KeyIndex.tombstone(ki, rev.main(), rev.sub()));
    }

    /** Restores one stored put whose key has no entry yet (etcd's restore path). */
    void restorePut(byte[] key, long createdMain, Revision mod, long version) {
        tree.compute(key.clone(), (k, ki) -> ki == null
                ? KeyIndex.restore(createdMain, mod.main(), mod.sub(), version)
                : KeyIndex.put(ki, mod.main(), mod.sub()));
    }

    /** Restores a stored tombstone; one for a key with no entry is skipped, like etcd. */
    void restoreTombstone(byte[] key, Revision rev) {
        tree.computeIfPresent(key, (k, ki) -> KeyIndex.isEmpty(ki) || !isLive(ki) ? ki
                : KeyIndex.tombstone(ki, rev.main(), rev.sub()));
    }

    private static boolean isLive(long[] ki) {
        return KeyIndex.get(ki, Long.MAX_VALUE, new long[KeyIndex.OUT_SLOTS]);
    }

    /** Fills {@code out} (see {@link KeyIndex#get}) and returns whether key was live at atRev. */
    boolean get(byte[] key, long atRev, long[] out) {
        long[] ki = tree.get(key);
        return ki != null && KeyIndex.get(ki, atRev, out);
    }

    /**
     * Keys live at atRev in {@code [key, end)} (end null: just key; end empty: to the last key), at
     * most {@code limit} of them when limit > 0; total counts all of them.
     */
    Revisions revisions(byte[] key, byte[] end, long atRev, long limit) {
        if (end == null) {
            return single(key, atRev);
        }
        List<KeyAt> keys = new ArrayList<>();
        long total = 0;
        long[] out = new long[KeyIndex.OUT_SLOTS];
        for (Map.Entry<byte[], long[]> e : range(key, end).entrySet()) {
            if (KeyIndex.get(e.getValue(), atRev, out)) {
                if (limit <= 0 || keys.size() < limit) {
                    keys.add(new KeyAt(e.getKey(), out[KeyIndex.OUT_MOD_MAIN], out[KeyIndex.OUT_MOD_SUB]));
                }
                total++;
            }
        }
        return new Revisions(keys, total);
    }

    /** The point-lookup fast path: no sub-map, no iterator. */
    private Revisions single(byte[] key, long atRev) {
        long[] ki = tree.get(key);
        long[] out = new long[KeyIndex.OUT_SLOTS];
        if (ki == null || !KeyIndex.get(ki, atRev, out)) {
            return new Revisions(List.of(), 0);
        }
        return new Revisions(List.of(new KeyAt(key.clone(), out[KeyIndex.OUT_MOD_MAIN], out[KeyIndex.OUT_MOD_SUB])), 1);
    }

    long count(byte[] key, byte[] end, long atRev) {
        long total = 0;
        long[] out = new long[KeyIndex.OUT_SLOTS];
        for (long[] ki : range(key, end).values()) {
            if (KeyIndex.get(ki, atRev, out)) {
                total++;
            }
        }
        return total;
    }

    /**
     * Compacts every entry at atRev and returns the revisions ≤ atRev that stay (etcd's available
     * set). Each entry is replaced by compare-and-set, retried if the apply thread changed it.
     */
    RevisionSet compact(long atRev) {
        RevisionSet available = new RevisionSet();
        long[] kept = new long[2];
        for (byte[] key : tree.keySet()) {
            while (true) {
                long[] ki = tree.get(key);
                if (ki == null) {
                    break;
                }
                long[] next = KeyIndex.compact(ki, atRev, kept);
                boolean swapped = next == null ? tree.remove(key, ki) : tree.replace(key, ki, next);
                if (swapped) {
                    if (kept[0] != KeyIndex.NONE_KEPT) {
                        available.add(kept[0], kept[1]);
                    }
                    break;
                }
            }
        }
        return available;
    }

    /** The revisions ≤ atRev that a compaction at atRev keeps (etcd's Keep, for HashKV). */
    RevisionSet keep(long atRev) {
        RevisionSet available = new RevisionSet();
        for (long[] ki : tree.values()) {
            KeyIndex.keep(ki, atRev, available);
        }
        return available;
    }

    int size() {
        return tree.size();
    }

    private NavigableMap<byte[], long[]> range(byte[] key, byte[] end) {
        if (end == null) {
            long[] ki = tree.get(key);
            NavigableMap<byte[], long[]> one = new java.util.TreeMap<>(Arrays::compareUnsigned);
            if (ki != null) {
                one.put(key, ki);
            }
            return one;
        }
        if (end.length == 0) {
            return tree.tailMap(key, true);
        }
        if (Arrays.compareUnsigned(key, end) >= 0) {
            return new java.util.TreeMap<>(Arrays::compareUnsigned);
        }
        return tree.subMap(key, true, end, false);
    }
}
