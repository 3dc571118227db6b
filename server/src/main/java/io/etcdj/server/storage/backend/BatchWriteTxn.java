package io.etcdj.server.storage.backend;

import io.etcdj.server.storage.schema.Bucket;
import io.etcdj.server.storage.schema.MetaKeys;

/** The writer's txn: holds the batch lock from construction until close. */
final class BatchWriteTxn extends OverlayReadTxn implements WriteTxn {
    private boolean closed;

    BatchWriteTxn(Backend backend) {
        super(backend, null);
    }

    /** The current view: rotations only happen between write txns, so the live batch is stable. */
    @Override
    View view() {
        return backend.currentView();
    }

    @Override
    public void put(Bucket bucket, byte[] key, byte[] value) {
        checkOpen();
        backend.currentView().live().put(bucket, key, value);
    }

    @Override
    public void delete(Bucket bucket, byte[] key) {
        checkOpen();
        backend.currentView().live().delete(bucket, key);
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
        backend.endWrite();
    }

    private void checkOpen() {
        Checks.check(!closed, "write on a closed write txn");
    }
}
