package io.etcdj.server.mvcc;

import java.util.concurrent.Executor;

/**
 * @param compactionBatchLimit revisions deleted per backend write txn during compaction (etcd: 1,000);
 *                             the writer waits at most one such batch
 * @param compactionExecutor   runs compaction batches, one task per batch; null: the store starts
 *                             its own daemon thread
 */
public record MvccConfig(int compactionBatchLimit, Executor compactionExecutor) {
    public static final int DEFAULT_COMPACTION_BATCH_LIMIT = 1_000;

    public MvccConfig {
        if (compactionBatchLimit <= 0) {
            throw new IllegalArgumentException("compactionBatchLimit must be > 0, got " + compactionBatchLimit);
        }
    }

    public static MvccConfig defaults() {
        return new MvccConfig(DEFAULT_COMPACTION_BATCH_LIMIT, null);
    }
}
