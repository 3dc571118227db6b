package io.etcdj.server.mvcc;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.concurrent.ConcurrentSkipListMap;

/**
 * etcd's treeIndex: user key → {@link KeyIndex} entry, ordered by unsigned byte order. Readers walk
 * it without locks (an entry only grows past what a reader saw, or is swapped for a new array); the
 * apply thread appends in place or swaps, the compactor seals and swaps, both by compare-and-set,
 * so neither blocks the other or a reader.
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
        append(key, rev, false);
    }

    void tombstone(byte[] key, Revision rev) {
        append(key, rev, true);
    }

    /** Restores one stored put whose key has no entry yet (etcd's restore path). */
    void restorePut(byte[] key, long createdMain, Revision mod, long version) {
        if (tree.get(key) == null) {
            tree.put(key.clone(), KeyIndex.restore(createdMain, mod.main(), mod.sub(), version));
        } else {
            append(key, mod, false);
        }
    }

    /** Restores a stored tombstone; one for a key with no entry is skipped, like etcd. */
    void restoreTombstone(byte[] key, Revision rev) {
        long[] ki = tree.get(key);
        if (ki != null && !KeyIndex.isEmpty(ki) && isLive(ki)) {
            append(key, rev, true);
        }
    }

    /**
     * The apply thread's change to a key: in place when its entry has room (KeyIndex "Appends in
     * place"), else a grown copy swapped in by compare-and-set, retried if the compactor replaced
     * the entry meanwhile.
     */
    private void append(byte[] key, Revision rev, boolean tombstone) {
        while (true) {
            long[] ki = tree.get(key);
            if (ki == null) {
                Checks.check(!tombstone, "tombstone at %d.%d of a key that is not live", rev.main(), rev.sub());
                if (tree.putIfAbsent(key.clone(), KeyIndex.create(rev.main(), rev.sub())) == null) {
                    return;
                }
            } else if (KeyIndex.appendInPlace(ki, rev.main(), rev.sub(), tombstone)
                    || tree.replace(key, ki, KeyIndex.appended(ki, rev.main(), rev.sub(), tombstone))) {
                return;
            }
        }
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
                if (!KeyIndex.seal(ki)) {
                    continue; // the apply thread appended meanwhile: seal what is there now
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

    /** The key's entry as it is now (tests check that hot keys are appended in place). */
    long[] entry(byte[] key) {
        return tree.get(key);
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
