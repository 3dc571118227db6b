package io.etcdj.server.storage.backend;

import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The thread that owns LMDB write transactions (LMDB binds a write txn to the thread that began it,
 * so commits cannot ride on whichever thread happens to notice a full batch). Commits frozen
 * batches strictly in sequence order; a failed commit stops the backend for writes.
 */
final class Committer {
    private static final Logger LOG = LoggerFactory.getLogger(Committer.class);
    private static final Overlay POISON = new Overlay(Long.MAX_VALUE);
    /** How often a writer blocked on a full queue re-checks for a committer failure. */
    private static final long ENQUEUE_RECHECK_MILLIS = 100;

    private final Backend backend;
    private final ArrayBlockingQueue<Overlay> queue;
    private final Thread thread;
    private final Object monitor = new Object();
    /** Sequence of the newest batch durably in LMDB; guarded by monitor. */
    private long committedSequence;
    /** Set once (under monitor); volatile so the per-read check takes no lock. */
    private volatile RuntimeException failure;

    Committer(Backend backend, int maxPendingBatches) {
        this.backend = backend;
        this.queue = new ArrayBlockingQueue<>(maxPendingBatches);
        this.thread = new Thread(this::run, "backend-committer");
        thread.setDaemon(true);
        thread.start();
    }

    /** Queues a frozen batch; blocks (backpressure on the writer) while the queue is full. */
    void enqueue(Overlay batch) {
        try {
            while (!queue.offer(batch, ENQUEUE_RECHECK_MILLIS, TimeUnit.MILLISECONDS)) {
                throwIfFailed();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("backend: interrupted while queueing a batch", e);
        }
    }

    void awaitCommitted(long sequence) {
        synchronized (monitor) {
            while (committedSequence < sequence && failure == null) {
                try {
                    monitor.wait();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IllegalStateException("backend: interrupted awaiting commit", e);
                }
            }
            throwIfFailed();
        }
    }

    void throwIfFailed() {
        RuntimeException f = failure;
        if (f != null) {
            throw new IllegalStateException("backend: commit failed; refusing further use", f);
        }
    }

    /** Waits for {@code sequence} to commit, then stops the thread. */
    void shutdown(long sequence) {
        try {
            awaitCommitted(sequence);
        } finally {
            stop();
        }
    }

    /** Drops queued batches uncommitted (crash simulation) and stops the thread. */
    void abandon() {
        queue.clear();
        stop();
    }

    private void stop() {
        try {
            queue.put(POISON);
            thread.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void run() {
        while (true) {
            Overlay batch;
            try {
                batch = queue.take();
            } catch (InterruptedException e) {
                return;
            }
            if (batch == POISON) {
                return;
            }
            try {
                backend.commitBatch(batch);
            } catch (RuntimeException e) {
                LOG.error("backend commit of batch {} failed", batch.sequence, e);
                synchronized (monitor) {
                    failure = e;
                    monitor.notifyAll();
                }
                return;
            }
            synchronized (monitor) {
                Checks.check(batch.sequence > committedSequence, "batch %d committed after %d",
                        batch.sequence, committedSequence);
                committedSequence = batch.sequence;
                monitor.notifyAll();
            }
        }
    }
}
