package io.etcdj.raft;

import io.etcdj.raft.confchange.Changer;
import io.etcdj.raft.confchange.Restore;
import io.etcdj.raft.quorum.IdSet;
import io.etcdj.raft.tracker.Progress;
import io.etcdj.raft.tracker.ProgressMap;
import io.etcdj.raft.tracker.TrackerConfig;

/**
 * Membership (§6) as the node applies it: committed conf changes, restoring from a snapshot or
 * at start-up, and the reactions a new configuration requires (learner status, a removed leader
 * stepping down, commits a smaller quorum allows, probing new members).
 */
final class Membership {

    private final RaftNode node;

    Membership(RaftNode node) {
        this.node = node;
    }

    ConfState applyConfChange(ConfChangeV2 cc) {
        Changer changer = new Changer(node.tracker, node.log.lastIndex());
        Changer.Result r;
        if (cc.leaveJoint()) {
            r = changer.leaveJoint();
        } else if (cc.enterJoint()) {
            r = changer.enterJoint(cc.autoLeave(), cc.changes());
        } else {
            r = changer.simple(cc.changes());
        }
        node.tracker.install(r.config(), r.progress());
        return afterConfigInstalled(null);
    }

    /** Reacts to a new configuration: learner status, stepping down, committing, probing. */
    ConfState afterConfigInstalled(ConfState expected) {
        ConfState cs = node.tracker.confState();
        if (expected != null) {
            Invariants.check(sameMembers(cs, expected), "restored config %s differs from %s", cs, expected);
        }
        Progress self = node.tracker.get(node.id);
        node.isLearner = self != null && self.isLearner();
        if ((self == null || node.isLearner) && node.state == StateType.LEADER) {
            // Removed or demoted while leading: keep leading (etcd's default), refusing new
            // proposals, so the remaining voters still learn the commit index that makes the
            // change effective for them. Stepping down here can strand them: a voter that has
            // not applied the change may need our vote, and our longer log refuses it. The
            // application hands leadership over (transferLeadership) or stops this member.
            node.info("removed from or demoted in the configuration %s; leading until handed over",
                    node.tracker.config());
        }
        if (node.state != StateType.LEADER || cs.voters().isEmpty()) {
            return cs;
        }
        if (node.sender.maybeCommit()) {
            // The new quorum may commit more right away.
            node.sender.broadcastAppend();
        } else {
            // Probe new members now rather than at the next heartbeat or proposal.
            ProgressMap prs = node.tracker.progress();
            for (int i = 0; i < prs.size(); i++) {
                if (prs.idAt(i) != node.id) {
                    node.sender.maybeSendAppend(prs.idAt(i), false);
                }
            }
        }
        if (node.leadTransferee != 0 && !node.tracker.config().voters().contains(node.leadTransferee)) {
            node.abortLeaderTransfer();
        }
        return cs;
    }

    private static boolean sameMembers(ConfState a, ConfState b) {
        return IdSet.of(a.voters()).equals(IdSet.of(b.voters()))
                && IdSet.of(a.learners()).equals(IdSet.of(b.learners()))
                && IdSet.of(a.votersOutgoing()).equals(IdSet.of(b.votersOutgoing()))
                && IdSet.of(a.learnersNext()).equals(IdSet.of(b.learnersNext()))
                && a.autoLeave() == b.autoLeave();
    }

    /** §7: installs a leader's snapshot; false if it is stale or already covered by our log. */
    boolean restore(Snapshot snapshot) {
        SnapshotMetadata meta = snapshot.metadata();
        if (meta.index() <= node.log.committed()) {
            return false;
        }
        if (node.state != StateType.FOLLOWER) {
            // Only followers are sent snapshots; anything else is a bug we refuse to act on.
            node.warn("attempted to restore snapshot as leader; should never happen");
            node.becomeFollower(node.term + 1, 0);
            return false;
        }
        ConfState cs = meta.confState();
        if (!cs.voters().contains(node.id) && !cs.learners().contains(node.id) && !cs.votersOutgoing().contains(node.id)) {
            node.warn("attempted to restore snapshot but it is not in the ConfState %s; should never happen", cs);
            return false;
        }
        if (node.log.matchTerm(meta.index(), meta.term())) {
            // We already hold that entry: just fast-forward commit.
            node.log.commitTo(meta.index());
            return false;
        }
        node.log.restore(snapshot);
        node.tracker.install(TrackerConfig.EMPTY, new ProgressMap());
        Restore.restore(node.tracker, node.log.lastIndex(), cs);
        afterConfigInstalled(cs);
        return true;
    }
}
