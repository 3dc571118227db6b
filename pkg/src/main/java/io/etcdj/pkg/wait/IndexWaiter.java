package io.etcdj.pkg.wait;

import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentSkipListMap;

/**
 * Waits on a monotonically increasing index (etcd's {@code WaitTime}): "tell me when the applied
 * index reaches N". The thread that advances the index calls {@link #advanceTo}; every waiter at
 * or below it completes, in index order.
 */
public final class IndexWaiter {

    private final ConcurrentSkipListMap<Long, CompletableFuture<Void>> waiters = new ConcurrentSkipListMap<>();
    private volatile long reached;

    /** A future that completes once the index is at least {@code index} (at once if it is). */
    public CompletableFuture<Void> waitFor(long index) {
        if (index <= reached) {
            return CompletableFuture.completedFuture(null);
        }
        CompletableFuture<Void> future = waiters.computeIfAbsent(index, i -> new CompletableFuture<>());
        // The index may have passed between the check above and the insertion: re-check so the
        // waiter cannot be stranded.
        if (index <= reached) {
            complete(index);
        }
        return future;
    }

    /** Records that the index reached {@code index} and releases every waiter at or below it. */
    public void advanceTo(long index) {
        if (index <= reached) {
            return;
        }
        reached = index;
        complete(index);
    }

    public long reached() {
        return reached;
    }

    private void complete(long upTo) {
        Map<Long, CompletableFuture<Void>> due = waiters.headMap(upTo, true);
        for (Map.Entry<Long, CompletableFuture<Void>> entry : due.entrySet()) {
            if (waiters.remove(entry.getKey(), entry.getValue())) {
                entry.getValue().complete(null);
            }
        }
    }
}
