/**
 * etcd's watch (server/storage/mvcc watchable store + v3rpc watch stream), fed by the MVCC store.
 *
 * <p>What it owns: watchers (key or range, next revision to deliver, filters, prev_kv), the synced
 * and unsynced groups, each stream's bounded outbound buffer and its sender, progress responses.
 *
 * <p>How data flows: the apply thread hands each revision's events to {@link
 * io.etcdj.server.watch.WatchHub#onRevision} which only offers them to the hub's bounded inbox (it
 * never blocks; a full inbox drops the revision and the hub later notices the gap and catches the
 * affected watchers up from the store). The hub thread alone owns {@code WatchCore}: it matches the
 * events against synced watchers and offers one response per watcher per revision to that stream's
 * bounded buffer. A full buffer makes the watcher a victim: it moves to the unsynced group at the
 * revision it missed, and the hub's sync step reads that history back from the store (in batches,
 * never splitting a revision) until the watcher is level again and rejoins the synced group. Each
 * stream's buffer is drained into gRPC by tasks on the stream's event loop, a burst at a time,
 * honouring gRPC flow control (see {@code StreamSender} for why not a thread per stream). A progress
 * request is answered (watch_id -1) only once every watcher of the stream is synced, through the
 * same buffer, so the revision it names covers every event queued before it.
 */
package io.etcdj.server.watch;
