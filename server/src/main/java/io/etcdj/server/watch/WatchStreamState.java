package io.etcdj.server.watch;

import java.util.LinkedHashMap;
import java.util.Map;

/** The hub thread's view of one gRPC watch stream: its watchers, id counter and pending progress. */
final class WatchStreamState {
    final WatchSink sink;
    /** Watch id → watcher; insertion order keeps every walk deterministic. */
    final Map<Long, Watcher> watchers = new LinkedHashMap<>();
    /** The next server-assigned watch id candidate (etcd starts at 0 and skips ids in use). */
    long nextId;
    /** A progress request waits for every watcher of the stream to be synced. */
    boolean progressPending;
    boolean closed;

    WatchStreamState(WatchSink sink) {
        this.sink = sink;
    }

    boolean allSynced() {
        for (Watcher w : watchers.values()) {
            if (!w.synced) {
                return false;
            }
        }
        return true;
    }
}
