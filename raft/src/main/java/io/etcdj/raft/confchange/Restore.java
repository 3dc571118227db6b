package io.etcdj.raft.confchange;

import io.etcdj.raft.ConfChangeSingle;
import io.etcdj.raft.ConfChangeType;
import io.etcdj.raft.ConfState;
import io.etcdj.raft.tracker.ProgressTracker;
import java.util.ArrayList;
import java.util.List;

/**
 * Rebuilds tracker state from a {@link ConfState} by replaying it as changes: the outgoing voters
 * one simple change at a time, then (if joint) a joint change to the incoming side. Going
 * through the {@link Changer} means a restored configuration passes the same invariant checks.
 */
public final class Restore {

    private Restore() {
    }

    /** Installs the configuration described by {@code cs} into {@code tracker} (which should be empty). */
    public static void restore(ProgressTracker tracker, long lastIndex, ConfState cs) {
        List<ConfChangeSingle> outgoing = new ArrayList<>();
        List<ConfChangeSingle> incoming = new ArrayList<>();
        for (long id : cs.votersOutgoing()) {
            outgoing.add(new ConfChangeSingle(ConfChangeType.ADD_NODE, id));
            // The incoming side starts from the outgoing one: remove them first.
            incoming.add(new ConfChangeSingle(ConfChangeType.REMOVE_NODE, id));
        }
        for (long id : cs.voters()) {
            incoming.add(new ConfChangeSingle(ConfChangeType.ADD_NODE, id));
        }
        for (long id : cs.learners()) {
            incoming.add(new ConfChangeSingle(ConfChangeType.ADD_LEARNER_NODE, id));
        }
        // Learners-next are voters of the outgoing half demoted on entering joint.
        for (long id : cs.learnersNext()) {
            incoming.add(new ConfChangeSingle(ConfChangeType.ADD_LEARNER_NODE, id));
        }
        if (outgoing.isEmpty()) {
            for (ConfChangeSingle cc : incoming) {
                applyOne(tracker, lastIndex, cc);
            }
            return;
        }
        for (ConfChangeSingle cc : outgoing) {
            applyOne(tracker, lastIndex, cc);
        }
        Changer.Result r = new Changer(tracker, lastIndex).enterJoint(cs.autoLeave(), incoming);
        tracker.install(r.config(), r.progress());
    }

    private static void applyOne(ProgressTracker tracker, long lastIndex, ConfChangeSingle cc) {
        Changer.Result r = new Changer(tracker, lastIndex).simple(List.of(cc));
        tracker.install(r.config(), r.progress());
    }
}
