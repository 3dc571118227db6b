package io.etcdj.raft;

import io.etcdj.raft.Message.MsgApp;
import io.etcdj.raft.Message.MsgAppResp;
import io.etcdj.raft.Message.MsgHeartbeat;
import io.etcdj.raft.Message.MsgHeartbeatResp;
import io.etcdj.raft.Message.MsgSnap;

/**
 * The follower side of replication: append entries, follow the leader's commit index, install
 * snapshots, and answer so the leader's progress tracking converges quickly.
 */
final class ReplicationReceiver {

    private final RaftNode node;

    ReplicationReceiver(RaftNode node) {
        this.node = node;
    }

    void handleAppend(MsgApp m) {
        RaftLog log = node.log;
        if (m.index() < log.committed()) {
            // Everything up to commit already matches the leader's log (§5.4 Log Matching): tell
            // the leader where we are instead of re-checking old entries.
            node.send(new MsgAppResp(node.id, m.from(), node.term, log.committed(), false, 0, 0));
            return;
        }
        long lastNew = log.maybeAppend(m.index(), m.logTerm(), m.commit(), m.entries());
        if (lastNew >= 0) {
            node.send(new MsgAppResp(node.id, m.from(), node.term, lastNew, false, 0, 0));
            return;
        }
        // §5.3: reply false if the log has no entry at index with logTerm. Hint the largest
        // (index, term) where our logs might match, so the leader can skip a whole term.
        long hintIndex = Math.min(m.index(), log.lastIndex());
        long[] hint = log.findConflictByTerm(hintIndex, m.logTerm());
        node.debug("rejected MsgApp [logterm: %d, index: %d] from %s", m.logTerm(), m.index(), RaftNode.hex(m.from()));
        node.send(new MsgAppResp(node.id, m.from(), node.term, m.index(), true, hint[0], hint[1]));
    }

    void handleHeartbeat(MsgHeartbeat m) {
        node.log.commitTo(m.commit());
        node.send(new MsgHeartbeatResp(node.id, m.from(), node.term, m.context()));
    }

    void handleSnapshot(MsgSnap m) {
        SnapshotMetadata meta = m.snapshot().metadata();
        if (node.membership.restore(m.snapshot())) {
            node.info("[commit: %d] restored snapshot [index: %d, term: %d]",
                    node.log.committed(), meta.index(), meta.term());
            node.send(new MsgAppResp(node.id, m.from(), node.term, node.log.lastIndex(), false, 0, 0));
        } else {
            node.info("[commit: %d] ignored snapshot [index: %d, term: %d]",
                    node.log.committed(), meta.index(), meta.term());
            node.send(new MsgAppResp(node.id, m.from(), node.term, node.log.committed(), false, 0, 0));
        }
    }
}
