package io.etcdj.server.lease;

import java.util.Comparator;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.function.Predicate;

/**
 * A min-heap of (time, lease id) with lazy deletion: rescheduling a lease pushes a new entry and
 * leaves the old one behind; an entry counts only while {@code current} says its time is still the
 * lease's time (and the lease still exists), so stale entries are dropped when they reach the top.
 * Finding the due leases costs O((due + stale) · log n) instead of a walk over every lease. If
 * stale entries pile up (a client renewing far more often than its TTL), the heap is rebuilt from
 * the leases. Guarded by the lessor's monitor.
 */
final class DueQueue {

    /** Entries beyond {@code 2 × leases + SLACK} trigger a rebuild. */
    static final int SLACK = 1_024;

    private record Due(long atNanos, long id) {
    }

    /** Earliest first (nanoTime values compare by difference), then lowest id. */
    private static final Comparator<Due> ORDER = (a, b) -> {
        int byTime = Long.compare(a.atNanos - b.atNanos, 0);
        return byTime != 0 ? byTime : Long.compare(a.id, b.id);
    };

    /** The lease's current time in this queue; the entry is stale unless it equals the entry's. */
    interface Clocked {
        boolean isCurrent(Lease lease, long atNanos);

        long currentNanos(Lease lease);
    }

    private final PriorityQueue<Due> heap = new PriorityQueue<>(ORDER);
    private final Clocked clocked;
    /** Heap entries looked at by {@link #pollDue} so far (tests check the sweep's cost). */
    private long inspected;

    DueQueue(Clocked clocked) {
        this.clocked = clocked;
    }

    /** Records that {@code lease} is due at {@code atNanos} (the caller has set the lease's field). */
    void add(Lease lease, long atNanos, Map<Long, Lease> leases) {
        heap.add(new Due(atNanos, lease.id));
        if (heap.size() > 2 * leases.size() + SLACK) {
            rebuild(leases, lease2 -> true);
        }
    }

    /** Replaces every entry by one per lease that {@code include} accepts, at its current time. */
    void rebuild(Map<Long, Lease> leases, Predicate<Lease> include) {
        heap.clear();
        for (Lease lease : leases.values()) {
            if (include.test(lease)) {
                long at = clocked.currentNanos(lease);
                if (clocked.isCurrent(lease, at)) {
                    heap.add(new Due(at, lease.id));
                }
            }
        }
    }

    void clear() {
        heap.clear();
    }

    /** Removes and returns the earliest lease due at or before {@code now}; null if none is due. */
    Lease pollDue(long now, Map<Long, Lease> leases) {
        while (!heap.isEmpty()) {
            Due head = heap.peek();
            inspected++;
            Lease lease = leases.get(head.id);
            if (lease == null || !clocked.isCurrent(lease, head.atNanos)) {
                heap.poll(); // stale: revoked, renewed or rescheduled since
                continue;
            }
            if (head.atNanos - now > 0) {
                return null;
            }
            heap.poll();
            return lease;
        }
        return null;
    }

    long inspected() {
        return inspected;
    }

    /** Entries held, stale ones included (tests). */
    int size() {
        return heap.size();
    }
}
