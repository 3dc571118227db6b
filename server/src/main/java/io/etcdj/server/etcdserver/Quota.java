package io.etcdj.server.etcdserver;

import io.etcdj.api.etcdserverpb.PutRequest;
import io.etcdj.api.etcdserverpb.RequestOp;
import io.etcdj.api.etcdserverpb.TxnRequest;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;

/**
 * The backend quota ({@code --quota-backend-bytes}), etcd's rule: a request is refused when the
 * backend's size plus the request's cost would exceed the quota. A put costs its key and value
 * plus a fixed overhead for the revision and index entries; a txn costs its costlier branch; reads
 * and deletes cost nothing, so they are always served, which is how a full cluster is rescued.
 */
final class Quota {

    /** Bytes charged per put beyond its key and value (etcd's kvOverhead). */
    static final long PUT_OVERHEAD_BYTES = 256;

    /** Admissions between two reads of the backend size (a power of two). */
    static final int ADMISSIONS_PER_SIZE_READ = 64;

    private final long quotaBytes;
    private final LongSupplier backendSizeBytes;
    private final AtomicLong admissions = new AtomicLong();
    /** The backend size as last read; reading it costs native calls and a lock, so not per request. */
    private volatile long sizeBytes;

    Quota(long quotaBytes, LongSupplier backendSizeBytes) {
        this.quotaBytes = quotaBytes;
        this.backendSizeBytes = backendSizeBytes;
        this.sizeBytes = backendSizeBytes.getAsLong();
    }

    /**
     * Whether a request of {@code costBytes} fits. A refusal is always decided on a fresh size
     * (so space freed by compaction and defragmentation counts at once); an admission may use a
     * size up to {@link #ADMISSIONS_PER_SIZE_READ} requests old, a bounded overshoot of the same
     * kind etcd has (its size moves only when the backend commits).
     */
    boolean admits(long costBytes) {
        if (costBytes == 0) {
            return true;
        }
        long size = sizeBytes;
        if (size + costBytes > quotaBytes || admissions.incrementAndGet() % ADMISSIONS_PER_SIZE_READ == 0) {
            size = backendSizeBytes.getAsLong();
            sizeBytes = size;
        }
        return size + costBytes <= quotaBytes;
    }

    static long cost(PutRequest put) {
        return PUT_OVERHEAD_BYTES + put.getKey().size() + put.getValue().size();
    }

    static long cost(TxnRequest txn) {
        return Math.max(cost(txn.getSuccessList()), cost(txn.getFailureList()));
    }

    private static long cost(List<RequestOp> ops) {
        long total = 0;
        for (RequestOp op : ops) {
            if (op.hasRequestPut()) {
                total += cost(op.getRequestPut());
            } else if (op.hasRequestTxn()) {
                total += cost(op.getRequestTxn());
            }
        }
        return total;
    }
}
