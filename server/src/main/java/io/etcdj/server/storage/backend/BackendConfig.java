package io.etcdj.server.storage.backend;

import java.nio.file.Path;
import java.time.Duration;

/**
 * How a {@link Backend} is opened.
 *
 * @param dbFile             the LMDB data file, {@code <data-dir>/member/snap/db} (LMDB adds
 *                           {@code db-lock} beside it)
 * @param quotaBackendBytes  {@code --quota-backend-bytes}; the LMDB map is sized from it with headroom
 * @param batchLimitOps      writes buffered before a batch is handed to the committer (etcd: 10,000)
 * @param batchLimitBytes    bytes buffered (keys + values) before the batch is handed over: the
 *                           buffer lives on the heap until committed, so it needs a byte bound too
 * @param batchInterval      longest a buffered write waits before its batch is committed (etcd: 100 ms)
 * @param maxPendingBatches  batches handed over but not yet committed before writers wait
 * @param syncCommits        fsync on every LMDB commit; false (MDB_NOSYNC) only for measurements
 * @param verifyChecksums    verify every value's CRC-32C on read; false only for negative controls
 */
public record BackendConfig(
        Path dbFile,
        long quotaBackendBytes,
        int batchLimitOps,
        long batchLimitBytes,
        Duration batchInterval,
        int maxPendingBatches,
        boolean syncCommits,
        boolean verifyChecksums) {

    /** etcd's default quota: 2 GiB. */
    public static final long DEFAULT_QUOTA_BYTES = 2L << 30;
    /** etcd's defaultBatchLimit. */
    public static final int DEFAULT_BATCH_LIMIT_OPS = 10_000;
    /** 64 MiB: ~40 max-size (1.5 MiB) requests, far above a typical 100 ms of writes. */
    public static final long DEFAULT_BATCH_LIMIT_BYTES = 64L << 20;
    /** etcd's defaultBatchInterval. */
    public static final Duration DEFAULT_BATCH_INTERVAL = Duration.ofMillis(100);
    /** Two batches in flight: one committing, one queued; the apply thread waits beyond that. */
    public static final int DEFAULT_MAX_PENDING_BATCHES = 2;

    public BackendConfig {
        if (quotaBackendBytes <= 0) {
            throw new IllegalArgumentException("quotaBackendBytes must be > 0, got " + quotaBackendBytes);
        }
        if (batchLimitOps <= 0 || batchLimitBytes <= 0 || maxPendingBatches <= 0) {
            throw new IllegalArgumentException("batchLimitOps, batchLimitBytes and maxPendingBatches must be > 0");
        }
        if (batchInterval.isNegative() || batchInterval.isZero()) {
            throw new IllegalArgumentException("batchInterval must be > 0, got " + batchInterval);
        }
    }

    /** Defaults for a db file: etcd's quota and batch cadence, synced commits, verified reads. */
    public static BackendConfig defaults(Path dbFile) {
        return new BackendConfig(dbFile, DEFAULT_QUOTA_BYTES, DEFAULT_BATCH_LIMIT_OPS,
                DEFAULT_BATCH_LIMIT_BYTES, DEFAULT_BATCH_INTERVAL, DEFAULT_MAX_PENDING_BATCHES, true, true);
    }

    public BackendConfig withQuota(long bytes) {
        return new BackendConfig(dbFile, bytes, batchLimitOps, batchLimitBytes, batchInterval, maxPendingBatches,
                syncCommits, verifyChecksums);
    }

    public BackendConfig withBatch(int limitOps, Duration interval) {
        return new BackendConfig(dbFile, quotaBackendBytes, limitOps, batchLimitBytes, interval, maxPendingBatches,
                syncCommits, verifyChecksums);
    }

    public BackendConfig withBatchLimitBytes(long bytes) {
        return new BackendConfig(dbFile, quotaBackendBytes, batchLimitOps, bytes, batchInterval,
                maxPendingBatches, syncCommits, verifyChecksums);
    }

    public BackendConfig withSyncCommits(boolean sync) {
        return new BackendConfig(dbFile, quotaBackendBytes, batchLimitOps, batchLimitBytes, batchInterval,
                maxPendingBatches, sync, verifyChecksums);
    }

    public BackendConfig withVerifyChecksums(boolean verify) {
        return new BackendConfig(dbFile, quotaBackendBytes, batchLimitOps, batchLimitBytes, batchInterval,
                maxPendingBatches, syncCommits, verify);
    }

    /**
     * The LMDB map size: the quota plus as much again (at least 1 GiB) so the NOSPACE alarm fires at
     * the quota long before LMDB's MDB_MAP_FULL; the map is sparse, so this costs address space only.
     */
    long mapSizeBytes() {
        long headroom = Math.max(quotaBackendBytes, MIN_HEADROOM_BYTES);
        return quotaBackendBytes + headroom;
    }

    private static final long MIN_HEADROOM_BYTES = 1L << 30;
}
