/**
 * etcd's multi-version key-value store (server/storage/mvcc).
 *
 * <p>What it owns: revisions ({@link io.etcdj.server.mvcc.Revision}: main = store revision, sub =
 * change within a txn), the in-memory key index (user key → generations of revisions, one packed
 * {@code long[]} per key in a concurrent skip list), the key bucket layout (revision bytes →
 * mvccpb.KeyValue; tombstones marked {@code 't'}), Range with all of etcd's options, compaction,
 * HashKV and restore.
 *
 * <p>How data flows: the apply thread opens a {@link io.etcdj.server.mvcc.TxnWrite}; each put or
 * delete writes the KeyValue under its revision into the backend's key bucket and updates the index
 * at once; {@code end()} stores the consistent index in the same backend batch, publishes the new
 * current revision and hands the revision's events to {@link io.etcdj.server.mvcc.ChangeListener}s
 * (watch). A {@link io.etcdj.server.mvcc.TxnRead} on any thread takes the published revision, asks
 * the index which revisions are live in the range, and fetches those KeyValues from the backend.
 * Compaction publishes its revision, compacts the index and deletes the dropped revisions from the
 * key bucket in bounded batches on its own executor. Nothing here reads a clock or a random source:
 * the same log gives the same state and HashKV on every member.
 */
package io.etcdj.server.mvcc;
