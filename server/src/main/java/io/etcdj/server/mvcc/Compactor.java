package io.etcdj.server.mvcc;

import io.etcdj.server.storage.backend.Backend;
import io.etcdj.server.storage.backend.WriteTxn;
import io.etcdj.server.storage.schema.Bucket;
import io.etcdj.server.storage.schema.MetaKeys;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Physical compaction, FIFO over requested revisions. One job: compact the key index (which yields
 * the revisions to keep), then delete from the key bucket, in revision order and in batches of
 * {@code batchLimit} keys per backend write txn, every stored revision ≤ rev not kept; the last
 * batch records {@code finishedCompactRev} in the same txn. Each batch is its own executor task, so
 * writers wait at most one batch, and a crash mid-way leaves {@code scheduledCompactRev >
 * finishedCompactRev}, which the next open resumes from the start (deleting is idempotent).
 */
final class Compactor {
    private static final Logger LOG = LoggerFactory.getLogger(Compactor.class);

    private final Backend backend;
    private final TreeIndex index;
    private final Executor executor;
    private final int batchLimit;
    private final ArrayDeque<Job> queue = new ArrayDeque<>();
    private boolean running;
    private volatile boolean stopped;

    private static final class Job {
        final long rev;
        final CompletableFuture<Void> done = new CompletableFuture<>();
        RevisionSet keep;
        byte[] next = new byte[0];

        Job(long rev) {
            this.rev = rev;
        }
    }

    Compactor(Backend backend, TreeIndex index, Executor executor, int batchLimit) {
        this.backend = backend;
        this.index = index;
        this.executor = executor;
        this.batchLimit = batchLimit;
    }

    synchronized CompletableFuture<Void> schedule(long rev) {
        Job job = new Job(rev);
        queue.add(job);
        if (!running) {
            running = true;
            submit(this::startNext);
        }
        return job.done;
    }

    void stop() {
        stopped = true;
        synchronized (this) {
            for (Job job : queue) {
                job.done.completeExceptionally(new IllegalStateException("mvcc: store closed"));
            }
            queue.clear();
        }
    }

    private void startNext() {
        Job job;
        synchronized (this) {
            job = queue.peek();
            if (job == null || stopped) {
                running = false;
                return;
            }
        }
        try {
            job.keep = index.compact(job.rev);
        } catch (RuntimeException e) {
            fail(job, e);
            return;
        }
        submit(() -> batch(job));
    }

    private void batch(Job job) {
        if (stopped) {
            return;
        }
        boolean last;
        try {
            last = deleteBatch(job);
            if (!last) {
                backend.forceCommit(); // etcd commits each batch before pausing
            }
        } catch (RuntimeException e) {
            fail(job, e);
            return;
        }
        if (last) {
            finish(job);
            job.done.complete(null);
            submit(this::startNext);
        } else {
            submit(() -> batch(job));
        }
    }

    /** Runs the next step unless the store closed (a closed store's executor may reject it). */
    private void submit(Runnable step) {
        if (stopped) {
            return;
        }
        try {
            executor.execute(step);
        } catch (RejectedExecutionException e) {
            if (!stopped) {
                throw e;
            }
        }
    }

    /** Deletes one batch; returns whether it was the last (and so recorded the finish). */
    private boolean deleteBatch(Job job) {
        List<byte[]> keys = new ArrayList<>(batchLimit);
        try (WriteTxn tx = backend.beginWrite()) {
            tx.forEach(Bucket.KEY, job.next, Revision.mainBound(job.rev + 1), (k, v) -> {
                keys.add(k);
                return keys.size() < batchLimit;
            });
            for (byte[] key : keys) {
                if (!job.keep.contains(Revision.fromBytes(key))) {
                    tx.delete(Bucket.KEY, key);
                }
            }
            boolean last = keys.size() < batchLimit;
            if (last) {
                tx.put(Bucket.META, MetaKeys.FINISHED_COMPACT_REV, MetaKeys.encodeLong(job.rev));
            } else {
                byte[] lastKey = keys.get(keys.size() - 1);
                job.next = java.util.Arrays.copyOf(lastKey, lastKey.length + 1); // just after lastKey
            }
            return last;
        }
    }

    private void finish(Job job) {
        synchronized (this) {
            Checks.check(queue.poll() == job, "compaction job %d finished out of order", job.rev);
        }
        LOG.debug("mvcc: finished compaction at revision {}", job.rev);
    }

    private void fail(Job job, RuntimeException e) {
        LOG.error("mvcc: compaction at revision {} failed", job.rev, e);
        synchronized (this) {
            queue.remove(job);
        }
        job.done.completeExceptionally(e);
        submit(this::startNext); // later jobs still run; a retry of this one may succeed

    }
}
