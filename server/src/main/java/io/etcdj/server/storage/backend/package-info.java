/**
 * The storage backend: etcd's bbolt backend rebuilt on LMDB (lmdbjava).
 *
 * <p>What it owns: the db file {@code <data-dir>/member/snap/db} (LMDB with MDB_NOSUBDIR, plus its
 * {@code db-lock}), one named LMDB database per {@link io.etcdj.server.storage.schema.Bucket}, the
 * write batching, read views, size accounting, defragmentation, snapshot streaming and restore, and
 * the per-value CRC-32C frame that turns silent page corruption into an error.
 *
 * <p>How data flows: the apply thread (or the compactor) opens a {@link
 * io.etcdj.server.storage.backend.WriteTxn}, which writes into the live in-memory batch under the
 * batch lock. Every 100 ms or 10,000 writes the batch is frozen and handed to the committer thread,
 * which writes it to LMDB in one synced transaction. A {@link io.etcdj.server.storage.backend.ReadTxn}
 * reads the live batch, then the frozen ones, then LMDB, so writes are visible as soon as their
 * write txn closes, and readers never wait for the writer or the committer.
 */
package io.etcdj.server.storage.backend;
