package io.etcdj.raft.tracker;

/**
 * A ring buffer of the last index (and payload bytes) of each append sent but not yet
 * acknowledged. Full when {@code maxCount} messages or {@code maxBytes} bytes are outstanding.
 * The buffer grows on demand up to {@code maxCount}; an add beyond it (the one extra append a
 * heartbeat response allows) grows it further rather than failing.
 */
public final class Inflights {

    private final int maxCount;
    private final long maxBytes;
    private long[] indexes = new long[0];
    private long[] sizes = new long[0];
    private int start;
    private int count;
    private long bytes;

    /** {@code maxBytes == 0} means no byte limit. */
    public Inflights(int maxCount, long maxBytes) {
        this.maxCount = maxCount;
        this.maxBytes = maxBytes;
    }

    public Inflights cloneEmpty() {
        return new Inflights(maxCount, maxBytes);
    }

    /** Records an append whose last entry is {@code index}; indexes must increase. */
    public void add(long index, long sizeBytes) {
        if (count == indexes.length) {
            grow();
        }
        int slot = (start + count) % indexes.length;
        indexes[slot] = index;
        sizes[slot] = sizeBytes;
        count++;
        bytes += sizeBytes;
    }

    private void grow() {
        int capacity = indexes.length == 0 ? Math.min(maxCount, 16) : indexes.length * 2;
        capacity = Math.max(capacity, count + 1);
        long[] nextIndexes = new long[capacity];
        long[] nextSizes = new long[capacity];
        for (int i = 0; i < count; i++) {
            int slot = (start + i) % indexes.length;
            nextIndexes[i] = indexes[slot];
            nextSizes[i] = sizes[slot];
        }
        indexes = nextIndexes;
        sizes = nextSizes;
        start = 0;
    }

    /** Frees every append whose last index is {@code <= index} (acknowledged). */
    public void freeLE(long index) {
        while (count > 0 && indexes[start] <= index) {
            bytes -= sizes[start];
            start = (start + 1) % indexes.length;
            count--;
        }
        if (count == 0) {
            start = 0;
        }
    }

    /** Frees the oldest append, letting one more message through a full window. */
    public void freeFirstOne() {
        if (count > 0) {
            freeLE(indexes[start]);
        }
    }

    public boolean full() {
        return count >= maxCount || (maxBytes > 0 && bytes >= maxBytes);
    }

    public int count() {
        return count;
    }

    public long bytes() {
        return bytes;
    }

    public void reset() {
        start = 0;
        count = 0;
        bytes = 0;
    }
}
