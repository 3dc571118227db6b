package io.etcdj.pkg.wait;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Request id → the future its answer completes. A request thread registers an id before handing
 * work to another thread (the raft loop, the apply thread); whoever produces the answer triggers
 * the id. Each id completes at most once; triggering an unregistered id is a no-op, because the
 * waiter may have given up (deadline, cancellation) and deregistered.
 *
 * @param <T> the answer type
 */
public final class WaitRegistry<T> {

    /** Upper bound on simultaneous waiters, so a flood of requests cannot grow this without end. */
    private final int maxWaiters;
    private final ConcurrentHashMap<Long, CompletableFuture<T>> waiters = new ConcurrentHashMap<>();

    public WaitRegistry(int maxWaiters) {
        if (maxWaiters <= 0) {
            throw new IllegalArgumentException("maxWaiters must be positive: " + maxWaiters);
        }
        this.maxWaiters = maxWaiters;
    }

    /**
     * Registers {@code id}.
     *
     * @throws IllegalStateException if {@code id} is already registered or the registry is full
     */
    public CompletableFuture<T> register(long id) {
        if (waiters.size() >= maxWaiters) {
            throw new IllegalStateException("wait registry full: " + maxWaiters + " waiters");
        }
        CompletableFuture<T> future = new CompletableFuture<>();
        if (waiters.putIfAbsent(id, future) != null) {
            throw new IllegalStateException("duplicate wait id " + Long.toUnsignedString(id, 16));
        }
        return future;
    }

    /** Completes and removes {@code id}'s waiter; returns whether one was waiting. */
    public boolean trigger(long id, T value) {
        CompletableFuture<T> future = waiters.remove(id);
        return future != null && future.complete(value);
    }

    /** Fails and removes {@code id}'s waiter; returns whether one was waiting. */
    public boolean fail(long id, Throwable cause) {
        CompletableFuture<T> future = waiters.remove(id);
        return future != null && future.completeExceptionally(cause);
    }

    /** Removes a waiter that gave up, without completing it. */
    public void cancel(long id) {
        waiters.remove(id);
    }

    public boolean isRegistered(long id) {
        return waiters.containsKey(id);
    }

    public int size() {
        return waiters.size();
    }
}
