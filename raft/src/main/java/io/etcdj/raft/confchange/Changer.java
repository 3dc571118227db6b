package io.etcdj.raft.confchange;

import io.etcdj.raft.ConfChangeSingle;
import io.etcdj.raft.quorum.IdSet;
import io.etcdj.raft.quorum.JointConfig;
import io.etcdj.raft.quorum.MajorityConfig;
import io.etcdj.raft.tracker.Progress;
import io.etcdj.raft.tracker.ProgressMap;
import io.etcdj.raft.tracker.ProgressTracker;
import io.etcdj.raft.tracker.TrackerConfig;
import java.util.List;

/**
 * Applies configuration changes to a copy of a tracker's state. {@code lastIndex} is the
 * leader's (or node's) last log index: new peers start probing from there.
 */
public final class Changer {

    private final ProgressTracker tracker;
    private final long lastIndex;

    public Changer(ProgressTracker tracker, long lastIndex) {
        this.tracker = tracker;
        this.lastIndex = lastIndex;
    }

    /** The new configuration and progress map, to be installed together. */
    public record Result(TrackerConfig config, ProgressMap progress) {
    }

    /** Mutable working copy of a configuration while changes are applied. */
    private static final class Working {
        IdSet incoming;
        IdSet outgoing;
        IdSet learners;
        IdSet learnersNext;
        boolean autoLeave;
        ProgressMap progress;

        Result freeze() {
            JointConfig voters = new JointConfig(new MajorityConfig(incoming), new MajorityConfig(outgoing));
            return new Result(new TrackerConfig(voters, learners, learnersNext, autoLeave), progress);
        }
    }

    /**
     * Enters a joint configuration: the current voters become the outgoing half, the changes are
     * applied to the incoming half. Decisions then need a majority of both (§6).
     */
    public Result enterJoint(boolean autoLeave, List<ConfChangeSingle> changes) {
        Working w = checkAndCopy();
        if (!w.outgoing.isEmpty()) {
            throw new ConfChangeException("config is already joint");
        }
        if (w.incoming.isEmpty()) {
            // A zero-voter config happens only before bootstrap; joint makes no sense there.
            throw new ConfChangeException("can't make a zero-voter config joint");
        }
        w.outgoing = w.incoming;
        apply(w, changes);
        w.autoLeave = autoLeave;
        return checkAndReturn(w);
    }

    /**
     * Leaves a joint configuration: the outgoing half is dropped, nodes only in it lose their
     * progress, and learners waiting in {@code learnersNext} become learners.
     */
    public Result leaveJoint() {
        Working w = checkAndCopy();
        if (w.outgoing.isEmpty()) {
            throw new ConfChangeException("can't leave a non-joint config");
        }
        for (int i = 0; i < w.learnersNext.size(); i++) {
            long id = w.learnersNext.get(i);
            w.learners = w.learners.with(id);
            w.progress.get(id).setLearner(true);
        }
        w.learnersNext = IdSet.EMPTY;
        for (int i = 0; i < w.outgoing.size(); i++) {
            long id = w.outgoing.get(i);
            if (!w.incoming.contains(id) && !w.learners.contains(id)) {
                w.progress.remove(id);
            }
        }
        w.outgoing = IdSet.EMPTY;
        w.autoLeave = false;
        return checkAndReturn(w);
    }

    /**
     * Applies changes that alter at most one voter, without joint consensus: any two majorities
     * of configurations differing by one voter overlap, so safety holds (thesis §4.1).
     */
    public Result simple(List<ConfChangeSingle> changes) {
        Working w = checkAndCopy();
        if (!w.outgoing.isEmpty()) {
            throw new ConfChangeException("can't apply simple config change in joint config");
        }
        IdSet before = w.incoming;
        apply(w, changes);
        int changed = 0;
        for (int i = 0; i < before.size(); i++) {
            if (!w.incoming.contains(before.get(i))) {
                changed++;
            }
        }
        for (int i = 0; i < w.incoming.size(); i++) {
            if (!before.contains(w.incoming.get(i))) {
                changed++;
            }
        }
        if (changed > 1) {
            throw new ConfChangeException("more than one voter changed without entering joint config");
        }
        return checkAndReturn(w);
    }

    private void apply(Working w, List<ConfChangeSingle> changes) {
        for (ConfChangeSingle cc : changes) {
            if (cc.nodeId() == 0) {
                // etcd skips changes for node 0 (its "none" id).
                continue;
            }
            switch (cc.type()) {
                case ADD_NODE -> makeVoter(w, cc.nodeId());
                case ADD_LEARNER_NODE -> makeLearner(w, cc.nodeId());
                case REMOVE_NODE -> remove(w, cc.nodeId());
                case UPDATE_NODE -> { }
                default -> throw new ConfChangeException("unexpected conf type " + cc.type());
            }
        }
        if (w.incoming.isEmpty()) {
            throw new ConfChangeException("removed all voters");
        }
    }

    private void makeVoter(Working w, long id) {
        Progress pr = w.progress.get(id);
        if (pr == null) {
            initProgress(w, id, false);
            return;
        }
        pr.setLearner(false);
        w.learners = w.learners.without(id);
        w.learnersNext = w.learnersNext.without(id);
        w.incoming = w.incoming.with(id);
    }

    private void makeLearner(Working w, long id) {
        Progress pr = w.progress.get(id);
        if (pr == null) {
            initProgress(w, id, true);
            return;
        }
        if (pr.isLearner()) {
            return;
        }
        // Drop it as a voter of the incoming half, but keep its progress.
        remove(w, id);
        w.progress.put(id, pr);
        if (w.outgoing.contains(id)) {
            // Still a voter of the outgoing half: a node can't be voter and learner at once, so
            // it becomes a learner only when the joint configuration is left.
            w.learnersNext = w.learnersNext.with(id);
        } else {
            pr.setLearner(true);
            w.learners = w.learners.with(id);
        }
    }

    private void remove(Working w, long id) {
        if (!w.progress.contains(id)) {
            return;
        }
        w.incoming = w.incoming.without(id);
        w.learners = w.learners.without(id);
        w.learnersNext = w.learnersNext.without(id);
        // A voter of the outgoing half keeps its progress until the joint config is left.
        if (!w.outgoing.contains(id)) {
            w.progress.remove(id);
        }
    }

    private void initProgress(Working w, long id, boolean learner) {
        if (learner) {
            w.learners = w.learners.with(id);
        } else {
            w.incoming = w.incoming.with(id);
        }
        // Probing starts at the last index: the first probe costs little and the rejection hint
        // moves next down quickly. Counted active so CheckQuorum doesn't fail on it at once.
        Progress pr = new Progress(0, Math.max(lastIndex, 1), tracker.newInflights(), learner);
        pr.setRecentActive(true);
        w.progress.put(id, pr);
    }

    private Working checkAndCopy() {
        TrackerConfig cfg = tracker.config();
        Working w = new Working();
        w.incoming = cfg.voters().incoming().voters();
        w.outgoing = cfg.voters().outgoing().voters();
        w.learners = cfg.learners();
        w.learnersNext = cfg.learnersNext();
        w.autoLeave = cfg.autoLeave();
        w.progress = tracker.progress().deepCopy();
        checkInvariants(w);
        return w;
    }

    private static Result checkAndReturn(Working w) {
        checkInvariants(w);
        return w.freeze();
    }

    private static void checkInvariants(Working w) {
        for (IdSet set : new IdSet[] {w.incoming, w.outgoing, w.learners, w.learnersNext}) {
            for (int i = 0; i < set.size(); i++) {
                if (!w.progress.contains(set.get(i))) {
                    throw new ConfChangeException("no progress for " + Long.toUnsignedString(set.get(i), 16));
                }
            }
        }
        for (int i = 0; i < w.learnersNext.size(); i++) {
            long id = w.learnersNext.get(i);
            if (!w.outgoing.contains(id)) {
                throw new ConfChangeException(id + " is in LearnersNext, but not Voters[1]");
            }
            if (w.progress.get(id).isLearner()) {
                throw new ConfChangeException(id + " is in LearnersNext, but is already marked as learner");
            }
        }
        for (int i = 0; i < w.learners.size(); i++) {
            long id = w.learners.get(i);
            if (w.outgoing.contains(id) || w.incoming.contains(id)) {
                throw new ConfChangeException(id + " is in Learners and Voters");
            }
            if (!w.progress.get(id).isLearner()) {
                throw new ConfChangeException(id + " is in Learners, but is not marked as learner");
            }
        }
        if (w.outgoing.isEmpty()) {
            if (!w.learnersNext.isEmpty()) {
                throw new ConfChangeException("cfg.LearnersNext must be empty when not joint");
            }
            if (w.autoLeave) {
                throw new ConfChangeException("AutoLeave must be false when not joint");
            }
        }
    }
}
