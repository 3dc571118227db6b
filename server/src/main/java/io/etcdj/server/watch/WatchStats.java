package io.etcdj.server.watch;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Live watch figures for etcd's {@code etcd_debugging_mvcc_*} metrics, read at scrape time from
 * any thread. Written by the hub thread (streams, watchers, slow watchers) and by the stream
 * senders (pending and sent events).
 */
public final class WatchStats {
    final AtomicLong streams = new AtomicLong();
    final AtomicLong watchers = new AtomicLong();
    final AtomicLong slowWatchers = new AtomicLong();
    /** Live stream senders; each counts its own queued events. */
    final Set<StreamSender> senders = ConcurrentHashMap.newKeySet();
    final AtomicLong eventsSent = new AtomicLong();

    /** Open watch streams (etcd_debugging_mvcc_watch_stream_total). */
    public long streams() {
        return streams.get();
    }

    /**
     * Watchers created and not yet cancelled by the client or closed with their stream; a watcher
     * cancelled for compaction counts until then, as in etcd (etcd_debugging_mvcc_watcher_total).
     */
    public long watchers() {
        return watchers.get();
    }

    /** Watchers behind the store, being caught up (etcd_debugging_mvcc_slow_watcher_total). */
    public long slowWatchers() {
        return slowWatchers.get();
    }

    /** Events queued for a stream and not yet handed to gRPC (etcd_debugging_mvcc_pending_events_total). */
    public long pendingEvents() {
        long pending = 0;
        for (StreamSender sender : senders) {
            pending += sender.pendingEvents();
        }
        return pending;
    }

    /** Events handed to gRPC since start (etcd_debugging_mvcc_events_total). */
    public long eventsSent() {
        return eventsSent.get();
    }
}
