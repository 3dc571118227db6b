package io.etcdj.server.mvcc;

import io.etcdj.api.mvccpb.Event;
import java.util.List;

/**
 * Receives each revision's changes on the apply thread, right after the write txn that made them
 * ends (the watch hub's feed). Events carry prev_kv. Implementations must not block: hand the
 * events to their own queue.
 */
@FunctionalInterface
public interface ChangeListener {
    void onRevision(long revision, List<Event> events);
}
