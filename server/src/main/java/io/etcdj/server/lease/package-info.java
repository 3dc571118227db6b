/**
 * Leases (etcd's lessor): granted and revoked only by applying committed raft entries on the apply
 * thread ({@link io.etcdj.server.lease.LeaseApplier}), persisted in the backend's {@code lease}
 * bucket in the same backend commit as the entry's consistent index; key attachments follow the
 * MVCC store's change events (kv.lease, prev_kv.lease) and are rebuilt from the store on restart.
 *
 * <p>Time: each lease's expiry lives on an injected monotonic clock and is only this member's
 * view; the leader finds expired leases ({@link io.etcdj.server.lease.ExpiryChecker}, every
 * 500 ms, at most 1,000 per second) and proposes LeaseRevoke through raft, so every member removes
 * a lease at the same point of the log. Keep-alives refresh expiry locally. The leader also
 * checkpoints remaining TTLs through raft (LeaseCheckpoint, on by default, persisted), so after a
 * restart or a leader change a lease counts down from its last checkpoint instead of its full TTL;
 * see docs/lease.md for the staleness bound.
 */
package io.etcdj.server.lease;
