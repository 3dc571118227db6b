package io.etcdj.server.watch;

import com.google.protobuf.ByteString;
import java.util.ArrayList;
import java.util.List;

/** Range watchers, found by the key an event touches. */
final class RangeIndex {
    private final List<Watcher> watchers = new ArrayList<>();

    void add(Watcher w) {
        watchers.add(w);
    }

    boolean remove(Watcher w) {
        return watchers.remove(w);
    }

    void stab(ByteString key, List<Watcher> out) {
        for (Watcher w : watchers) {
            if (w.contains(key)) {
                out.add(w);
            }
        }
    }

    void all(List<Watcher> out) {
        out.addAll(watchers);
    }
}
