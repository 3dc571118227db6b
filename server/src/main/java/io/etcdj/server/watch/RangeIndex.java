package io.etcdj.server.watch;

import com.google.protobuf.ByteString;
import io.etcdj.pkg.interval.IntervalTree;
import java.util.List;

/**
 * Range watchers in an interval tree (etcd's watcherGroup keeps them in pkg/adt's), so matching a
 * changed key costs a stabbing query instead of a scan of every range watcher.
 */
final class RangeIndex {
    private final IntervalTree<Watcher> tree = new IntervalTree<>();

    void add(Watcher w) {
        tree.insert(w.key.toByteArray(), high(w), w);
    }

    boolean remove(Watcher w) {
        return tree.delete(w.key.toByteArray(), high(w), w);
    }

    void stab(ByteString key, List<Watcher> out) {
        tree.stab(key.toByteArray(), out::add);
    }

    void all(List<Watcher> out) {
        tree.forEach(out::add);
    }

    /** An empty end means "every key from key on": the tree's unbounded interval. */
    private static byte[] high(Watcher w) {
        return w.end.isEmpty() ? null : w.end.toByteArray();
    }
}
