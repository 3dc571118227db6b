package io.etcdj.server.storage.backend;

import io.etcdj.server.storage.schema.Bucket;
import io.etcdj.server.storage.schema.MetaKeys;

/** The writer's txn: holds the batch lock from construction until close. */
final class BatchWriteTxn extends OverlayReadTxn implements WriteTxn {
    private boolean closed;

    /**
     * The view is captured at begin: rotations need the batch lock this txn holds, so its live
     * batch stays live; a frozen batch that commits meanwhile stays in the captured view, which
     * matters because this txn's LMDB snapshot may predate that commit.
     */
    BatchWriteTxn(Backend backend) {
        super(backend, backend.currentView());
    }

    @Override
    public void put(Bucket bucket, byte[] key, byte[] value) {
        checkOpen();
        view().live().put(bucket, key, value);
    }

    @Override
    public void delete(Bucket bucket, byte[] key) {
        checkOpen();
        view().live().delete(bucket, key);
    }

    @Override
    public void setConsistentIndex(long index, long term) {
        put(Bucket.META, MetaKeys.CONSISTENT_INDEX, MetaKeys.encodeLong(index));
        put(Bucket.META, MetaKeys.TERM, MetaKeys.encodeLong(term));
    }

    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        try {
            super.close();
        } finally {
            backend.endWrite();
        }
    }

    private void checkOpen() {
        Checks.check(!closed, "write on a closed write txn");
    }
}
