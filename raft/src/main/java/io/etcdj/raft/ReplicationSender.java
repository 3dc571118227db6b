package io.etcdj.raft;

import io.etcdj.raft.Message.MsgApp;
import io.etcdj.raft.Message.MsgHeartbeat;
import io.etcdj.raft.Message.MsgSnap;
import io.etcdj.raft.tracker.Progress;
import io.etcdj.raft.tracker.ProgressMap;
import java.util.List;

/**
 * The leader side of replication (§5.3): what to send each follower given its {@link Progress},
 * within the per-message size limit and the inflight window; falls back to a snapshot when the
 * entries a follower needs were compacted (§7).
 */
final class ReplicationSender {

    private final RaftNode node;
    private final long maxSizePerMsgBytes;

    ReplicationSender(RaftNode node, long maxSizePerMsgBytes) {
        this.node = node;
        this.maxSizePerMsgBytes = maxSizePerMsgBytes;
    }

    /** Sends an append (possibly empty, to carry the commit index) unless flow control pauses it. */
    void sendAppend(long to) {
        maybeSendAppend(to, true);
    }

    /** Sends one append to {@code to} if allowed; returns whether a message was sent. */
    boolean maybeSendAppend(long to, boolean sendIfEmpty) {
        Progress pr = node.tracker.get(to);
        if (pr == null || pr.isPaused()) {
            return false;
        }
        RaftLog log = node.log;
        long prevIndex = pr.next() - 1;
        long prevTerm;
        List<Entry> entries;
        try {
            prevTerm = log.term(prevIndex);
            entries = log.entriesFrom(pr.next(), maxSizePerMsgBytes);
        } catch (CompactedException | UnavailableException e) {
            return maybeSendSnapshot(to, pr);
        }
        if (entries.isEmpty() && !sendIfEmpty) {
            return false;
        }
        node.send(new MsgApp(node.id, to, node.term, prevTerm, prevIndex, entries, log.committed()));
        int n = entries.size();
        if (n > 0) {
            long bytes = 0;
            for (int i = 0; i < n; i++) {
                bytes += entries.get(i).payloadSize();
            }
            pr.sentEntries(entries.get(n - 1).index(), bytes);
        }
        return true;
    }

    private boolean maybeSendSnapshot(long to, Progress pr) {
        if (!pr.recentActive()) {
            node.debug("ignore sending snapshot to %s since it is not recently active", RaftNode.hex(to));
            return false;
        }
        Snapshot snapshot;
        try {
            snapshot = node.log.snapshot();
        } catch (SnapshotTemporarilyUnavailableException e) {
            node.debug("failed to send snapshot to %s because snapshot is temporarily unavailable", RaftNode.hex(to));
            return false;
        }
        Invariants.check(!snapshot.isEmpty(), "need non-empty snapshot");
        long index = snapshot.metadata().index();
        node.info("[firstindex: %d, commit: %d] sent snapshot[index: %d, term: %d] to %s [%s]",
                node.log.firstIndex(), node.log.committed(), index, snapshot.metadata().term(),
                RaftNode.hex(to), pr);
        pr.becomeSnapshot(index);
        node.send(new MsgSnap(node.id, to, node.term, snapshot));
        return true;
    }

    /** Sends appends (or just the commit index) to every peer. */
    void broadcastAppend() {
        ProgressMap prs = node.tracker.progress();
        for (int i = 0, n = prs.size(); i < n; i++) {
            long to = prs.idAt(i);
            if (to != node.id) {
                sendAppend(to);
            }
        }
    }

    /** Heartbeats to every peer, piggybacking the newest pending read request's context. */
    void broadcastHeartbeat() {
        byte[] context = node.readOnly.lastPendingRequestContext();
        broadcastHeartbeat(context == null ? new byte[0] : context);
    }

    void broadcastHeartbeat(byte[] context) {
        ProgressMap prs = node.tracker.progress();
        for (int i = 0, n = prs.size(); i < n; i++) {
            long to = prs.idAt(i);
            if (to == node.id) {
                continue;
            }
            // The follower may not have the entries up to our commit yet: never tell it to commit
            // past what it is known to hold.
            long commit = Math.min(prs.progressAt(i).match(), node.log.committed());
            node.send(new MsgHeartbeat(node.id, to, node.term, commit, context));
        }
    }

    /** Advances commit to what a quorum holds, if that entry is of our term (§5.4.2). */
    boolean maybeCommit() {
        long quorumIndex = node.tracker.committed();
        if (node.plantedBugCommitAnyTerm && quorumIndex > node.log.committed()
                && quorumIndex <= node.log.lastIndex()) {
            // Negative control only (tests): the §5.4.2 bug of counting replicas of old terms.
            node.log.commitTo(quorumIndex);
            return true;
        }
        return node.log.maybeCommit(quorumIndex, node.term);
    }
}
