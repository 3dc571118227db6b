package io.etcdj.pkg.idutil;

import java.util.concurrent.atomic.AtomicLong;

/**
 * Unique 64-bit ids for requests and leases, etcd's scheme: the top 16 bits are the low 16 bits
 * of the member id, the low 48 bits a counter that starts at the start-up time in milliseconds
 * shifted left by 8. Ids from one member are unique as long as it issues fewer than 256 a
 * millisecond on average since start; ids from different members differ in their prefix.
 * Ids of a restarted member do not repeat because the clock has moved on.
 */
public final class IdGenerator {

    private static final int SUFFIX_BITS = 48;
    private static final long SUFFIX_MASK = (1L << SUFFIX_BITS) - 1;
    private static final int COUNTER_BITS = 8;

    private final long prefix;
    private final AtomicLong suffix;

    /**
     * @param memberId        this member's id; only its low 16 bits are used
     * @param startEpochMillis the wall-clock time at start-up (injected, not read here)
     */
    public IdGenerator(long memberId, long startEpochMillis) {
        this.prefix = (memberId & 0xFFFFL) << SUFFIX_BITS;
        this.suffix = new AtomicLong((startEpochMillis << COUNTER_BITS) & SUFFIX_MASK);
    }

    public long next() {
        return prefix | (suffix.incrementAndGet() & SUFFIX_MASK);
    }
}
