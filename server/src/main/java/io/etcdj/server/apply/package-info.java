/**
 * Applies committed requests to the MVCC store (etcd's {@code server/etcdserver/txn} and the
 * backend applier): Put, DeleteRange, Range and Txn with every option and etcd's exact answers.
 *
 * <p>How data flows: the apply thread takes a committed entry, opens a
 * {@link io.etcdj.server.mvcc.TxnWrite}, sets the consistent index, calls
 * {@link io.etcdj.server.apply.KvApplier} and ends the txn. Reads served outside raft (Range, and
 * Txns whose ops are all ranges: {@link io.etcdj.server.apply.KvApplier#isReadOnly}) call the same
 * applier with a {@link io.etcdj.server.mvcc.TxnRead} on any thread.
 *
 * <p>The rule that shapes the code: the MVCC write txn cannot roll back (every put is in the index
 * and the backend batch at once), so every check that can fail a request (lease exists, key exists
 * for ignore_value/ignore_lease, range revisions inside a txn) runs before the first write. A
 * request that fails throws etcd's {@link io.grpc.StatusRuntimeException} and has changed nothing.
 *
 * <p>Everything here is deterministic (no clock, no randomness, no hash-order iteration): the same
 * log gives the same store and the same answers on every member.
 */
package io.etcdj.server.apply;
