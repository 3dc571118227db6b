package io.etcdj.raft.simulation;

import java.util.Arrays;

/**
 * One node's persisted log as the checker sees it: for each index from the snapshot index on,
 * the entry's term and a hash chained over the entry and every entry before it. Two logs with
 * the same chained hash at an index hold identical prefixes up to it (up to 64-bit collisions),
 * which turns Log Matching into one lookup per appended entry.
 */
final class LogModel {

    private long base;
    private long[] terms = new long[64];
    private long[] prefixes = new long[64];
    private int size = 1;

    /** A log that starts at {@code baseIndex} (a snapshot, or 0) whose prefix hashes to {@code basePrefix}. */
    LogModel(long baseIndex, long baseTerm, long basePrefix) {
        reset(baseIndex, baseTerm, basePrefix);
    }

    void reset(long baseIndex, long baseTerm, long basePrefix) {
        base = baseIndex;
        size = 1;
        terms[0] = baseTerm;
        prefixes[0] = basePrefix;
    }

    long baseIndex() {
        return base;
    }

    long lastIndex() {
        return base + size - 1;
    }

    boolean contains(long index) {
        return index >= base && index <= lastIndex();
    }

    long term(long index) {
        return terms[slot(index)];
    }

    long prefix(long index) {
        return prefixes[slot(index)];
    }

    /** Drops every entry after {@code index} (a follower overwriting a conflicting tail). */
    void truncateAfter(long index) {
        size = slot(index) + 1;
    }

    /** Appends the entry at lastIndex()+1 and returns its chained hash. */
    long append(long term, long entryDigest) {
        if (size == terms.length) {
            terms = Arrays.copyOf(terms, size * 2);
            prefixes = Arrays.copyOf(prefixes, size * 2);
        }
        long prefix = chain(prefixes[size - 1], lastIndex() + 1, term, entryDigest);
        terms[size] = term;
        prefixes[size] = prefix;
        size++;
        return prefix;
    }

    static long chain(long previous, long index, long term, long entryDigest) {
        long h = previous * 0x9E3779B97F4A7C15L + index;
        h = mix(h ^ term * 0xC2B2AE3D27D4EB4FL);
        return mix(h ^ entryDigest);
    }

    static long mix(long z) {
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }

    private int slot(long index) {
        if (!contains(index)) {
            throw new IndexOutOfBoundsException("index " + index + " outside [" + base + ", " + lastIndex() + "]");
        }
        return (int) (index - base);
    }
}
