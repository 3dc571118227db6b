package io.etcdj.server.mvcc;

/**
 * The revisions a compaction keeps (etcd's {@code map[Revision]struct{}}): an open-addressing hash
 * set of (main, sub) pairs in one {@code long[]}, about 32 bytes per revision instead of ~64 for a
 * {@code HashSet<Revision>}; it holds one revision per live key, so on a big store it is the largest
 * transient allocation of a compaction or a HashKV. Not thread-safe; built by one thread, then read.
 */
final class RevisionSet {
    /** Marks an empty slot: no revision has a negative main. */
    private static final long EMPTY = Long.MIN_VALUE;
    private static final int INITIAL_SLOTS = 16;
    /** Grow when more than this fraction of slots is used; keeps probe chains short. */
    private static final double MAX_LOAD = 0.5;

    /** Slot i holds main at 2i and sub at 2i + 1. */
    private long[] slots = newSlots(INITIAL_SLOTS);
    private int size;

    void add(Revision rev) {
        add(rev.main(), rev.sub());
    }

    void add(long main, long sub) {
        Checks.check(main >= 0, "revision main %d < 0", main);
        if (size + 1 > (slots.length / 2) * MAX_LOAD) {
            grow();
        }
        int i = find(slots, main, sub);
        if (slots[2 * i] == EMPTY) {
            slots[2 * i] = main;
            slots[2 * i + 1] = sub;
            size++;
        }
    }

    void addAll(RevisionSet other) {
        for (int i = 0; i < other.slots.length; i += 2) {
            if (other.slots[i] != EMPTY) {
                add(other.slots[i], other.slots[i + 1]);
            }
        }
    }

    boolean contains(Revision rev) {
        int i = find(slots, rev.main(), rev.sub());
        return slots[2 * i] != EMPTY;
    }

    int size() {
        return size;
    }

    /** The slot holding (main, sub), or the empty slot where it would go. */
    private static int find(long[] slots, long main, long sub) {
        int mask = slots.length / 2 - 1;
        int i = hash(main, sub) & mask;
        while (slots[2 * i] != EMPTY && (slots[2 * i] != main || slots[2 * i + 1] != sub)) {
            i = (i + 1) & mask;
        }
        return i;
    }

    private void grow() {
        long[] old = slots;
        slots = newSlots(old.length); // twice the slots: old.length longs = old.length / 2 slots
        for (int i = 0; i < old.length; i += 2) {
            if (old[i] != EMPTY) {
                int j = find(slots, old[i], old[i + 1]);
                slots[2 * j] = old[i];
                slots[2 * j + 1] = old[i + 1];
            }
        }
    }

    private static long[] newSlots(int count) {
        long[] s = new long[2 * count];
        for (int i = 0; i < s.length; i += 2) {
            s[i] = EMPTY;
        }
        return s;
    }

    private static int hash(long main, long sub) {
        long h = main * 0x9E3779B97F4A7C15L + sub;
        h ^= h >>> 32;
        h *= 0xBF58476D1CE4E5B9L;
        return (int) (h ^ (h >>> 29));
    }
}
