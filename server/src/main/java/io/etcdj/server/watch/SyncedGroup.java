package io.etcdj.server.watch;

import com.google.protobuf.ByteString;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The watchers level with the hub, indexed for matching an event's key: single-key watchers by key,
 * range watchers in a list scanned per key (etcd keeps them in an interval tree; see
 * {@link RangeIndex}). Hub thread only.
 */
final class SyncedGroup {
    private final Map<ByteString, Set<Watcher>> byKey = new LinkedHashMap<>();
    private final RangeIndex ranges = new RangeIndex();
    private int size;

    void add(Watcher w) {
        if (w.isRange()) {
            ranges.add(w);
        } else {
            byKey.computeIfAbsent(w.key, k -> new LinkedHashSet<>()).add(w);
        }
        w.synced = true;
        size++;
    }

    void remove(Watcher w) {
        boolean removed;
        if (w.isRange()) {
            removed = ranges.remove(w);
        } else {
            Set<Watcher> set = byKey.get(w.key);
            removed = set != null && set.remove(w);
            if (set != null && set.isEmpty()) {
                byKey.remove(w.key);
            }
        }
        if (removed) {
            size--;
        }
        w.synced = false;
    }

    /** Watchers whose key or range holds {@code key}. */
    List<Watcher> matching(ByteString key) {
        List<Watcher> out = new ArrayList<>();
        Set<Watcher> exact = byKey.get(key);
        if (exact != null) {
            out.addAll(exact);
        }
        ranges.stab(key, out);
        return out;
    }

    /** Every watcher, in a deterministic order (for demotion on a gap and progress ticks). */
    List<Watcher> all() {
        List<Watcher> out = new ArrayList<>();
        byKey.values().forEach(out::addAll);
        ranges.all(out);
        return out;
    }

    int size() {
        return size;
    }
}
