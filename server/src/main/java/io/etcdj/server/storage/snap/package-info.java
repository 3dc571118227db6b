/**
 * Raft snapshot files in {@code <data-dir>/member/snap}: the snapshot metadata (index, term,
 * membership) and raft's opaque snapshot data, one {@code %016x-%016x.snap} file (term-index) per
 * snapshot, and the backend database files received for snapshot install, {@code %016x.snap.db}.
 *
 * <p>Data flow: the server {@link io.etcdj.server.storage.snap.Snapshotter#save saves} a snapshot
 * before it writes the matching WAL marker; at start-up it asks the WAL which markers are valid
 * ({@code Wal.validSnapshotEntries}) and loads the newest snapshot file that is one of them
 * ({@link io.etcdj.server.storage.snap.Snapshotter#loadNewestAvailable}).
 *
 * <p>Durability contract: a file is written to a temporary name, fsynced, renamed and the
 * directory fsynced, so a crash leaves the old set of files or the new one, never a partial file
 * under a final name. Every file carries a CRC-32C; a file that fails it, or whose content does
 * not match its name, is renamed to {@code .broken} (logged) and skipped, as etcd does — never
 * silently used.
 */
package io.etcdj.server.storage.snap;
