package io.etcdj.server.storage.backend;

import io.etcdj.server.storage.schema.Bucket;

/**
 * The single writer's view (etcd's batch tx). Holds the batch lock from open to close, so nothing
 * it writes is split across two LMDB commits: data and the consistent index written in one
 * WriteTxn land in the same commit. Reads see this txn's own writes.
 */
public interface WriteTxn extends ReadTxn {

    void put(Bucket bucket, byte[] key, byte[] value);

    void delete(Bucket bucket, byte[] key);

    /** Records the applied raft entry these writes belong to, in the same commit as the writes. */
    void setConsistentIndex(long index, long term);
}
