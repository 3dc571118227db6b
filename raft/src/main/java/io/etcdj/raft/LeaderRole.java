package io.etcdj.raft;

import io.etcdj.raft.Message.MsgAppResp;
import io.etcdj.raft.Message.MsgHeartbeatResp;
import io.etcdj.raft.Message.MsgProp;
import io.etcdj.raft.Message.MsgReadIndex;
import io.etcdj.raft.Message.MsgTimeoutNow;
import io.etcdj.raft.Message.MsgTransferLeader;
import io.etcdj.raft.quorum.VoteLookup;
import io.etcdj.raft.quorum.VoteResult;
import io.etcdj.raft.tracker.Progress;
import io.etcdj.raft.tracker.ProgressState;
import java.util.ArrayList;
import java.util.List;

/**
 * Leader: accepts proposals, drives replication from followers' responses, advances commit,
 * confirms reads, hands leadership over on request, and steps down if it loses touch with a
 * quorum (CheckQuorum).
 */
final class LeaderRole implements Role {

    private final RaftNode node;
    private final ReplicationSender sender;

    LeaderRole(RaftNode node, ReplicationSender sender) {
        this.node = node;
        this.sender = sender;
    }

    @Override
    public StateType state() {
        return StateType.LEADER;
    }

    @Override
    public void tick() {
        node.heartbeatElapsed++;
        node.electionElapsed++;
        if (node.electionElapsed >= node.electionTimeout) {
            node.electionElapsed = 0;
            if (node.config.checkQuorum()) {
                checkQuorum();
                if (node.state != StateType.LEADER) {
                    return;
                }
            }
            // Thesis §3.10: a transfer that did not finish within an election timeout is aborted.
            if (node.leadTransferee != 0) {
                node.abortLeaderTransfer();
            }
        }
        if (node.heartbeatElapsed >= node.heartbeatTimeout) {
            node.heartbeatElapsed = 0;
            sender.broadcastHeartbeat();
        }
    }

    /** Thesis §6.2: step down if no quorum was heard from during the last election timeout. */
    private void checkQuorum() {
        if (!node.tracker.quorumActive()) {
            node.warn("stepped down to follower since quorum is not active");
            node.becomeFollower(node.term, 0);
            return;
        }
        node.tracker.forEach((id, pr) -> {
            if (id != node.id) {
                pr.setRecentActive(false);
            }
        });
    }

    @Override
    public void step(Message m) {
        switch (m) {
            case MsgProp p -> handleProposal(p);
            case MsgReadIndex r -> handleReadIndex(r);
            default -> {
                Progress pr = node.tracker.get(m.from());
                if (pr == null) {
                    return;
                }
                switch (m) {
                    case MsgAppResp r -> handleAppendResponse(r, pr);
                    case MsgHeartbeatResp r -> handleHeartbeatResponse(r, pr);
                    case MsgTransferLeader t -> handleTransferLeader(t, pr);
                    default -> {
                        // Vote responses after winning, etc.: nothing to do.
                    }
                }
            }
        }
    }

    private void handleProposal(MsgProp p) {
        Invariants.check(!p.entries().isEmpty(), "stepped empty MsgProp");
        if (node.tracker.get(node.id) == null) {
            // We were removed from the configuration while still leading: don't add entries.
            throw new ProposalDroppedException("leader was removed from the configuration");
        }
        if (node.leadTransferee != 0) {
            throw new ProposalDroppedException("leadership transfer to "
                    + RaftNode.hex(node.leadTransferee) + " is in progress");
        }
        List<Entry> entries = p.entries();
        for (int i = 0, n = entries.size(); i < n; i++) {
            Entry e = entries.get(i);
            if (e.type() == EntryType.NORMAL) {
                continue;
            }
            String refused = refuseConfChange(ConfChangeI.fromEntry(e).asV2());
            if (refused != null) {
                node.info("ignoring conf change %s at config %s: %s",
                        ConfChangeI.fromEntry(e), node.tracker.config(), refused);
                if (entries == p.entries()) {
                    entries = new ArrayList<>(entries);
                }
                entries.set(i, new Entry(0, 0, EntryType.NORMAL, null));
            } else {
                node.pendingConfIndex = node.log.lastIndex() + i + 1;
            }
        }
        if (!node.appendEntry(entries)) {
            throw new ProposalDroppedException("uncommitted entries size limit reached");
        }
        // Defer the broadcast to the next Ready: every proposal until then goes out in one
        // append per follower instead of one each (nothing can be sent before ready() anyway).
        node.broadcastPending = true;
    }

    /** Why a conf change must not be appended now (§6: one at a time), or null if it may. */
    private String refuseConfChange(ConfChangeV2 cc) {
        boolean alreadyPending = node.pendingConfIndex > node.log.applied();
        boolean alreadyJoint = node.tracker.config().voters().isJoint();
        boolean wantsLeaveJoint = cc.changes().isEmpty();
        if (alreadyPending) {
            return "possible unapplied conf change at index " + node.pendingConfIndex
                    + " (applied to " + node.log.applied() + ")";
        }
        if (alreadyJoint && !wantsLeaveJoint) {
            return "must transition out of joint config first";
        }
        if (!alreadyJoint && wantsLeaveJoint) {
            return "not in joint state; refusing empty conf change";
        }
        return null;
    }

    private void handleReadIndex(MsgReadIndex r) {
        if (node.tracker.isSingleton()) {
            // Only one voter: our commit index is the cluster's.
            node.answerReadIndex(r, node.log.committed());
            return;
        }
        // Thesis §6.4: until an entry of our term commits, our commit index may lag the true one.
        if (!node.committedEntryInCurrentTerm()) {
            node.pendingReadIndexMessages.add(r);
            return;
        }
        confirmReadIndex(r);
    }

    void confirmReadIndex(MsgReadIndex r) {
        if (node.readOnly.option() == ReadOnlyOption.LEASE_BASED) {
            // Thesis §6.4.1: within the lease no other leader can exist; answer at once.
            node.answerReadIndex(r, node.log.committed());
            return;
        }
        node.readOnly.addRequest(node.log.committed(), r);
        node.readOnly.recvAck(node.id, r.context());
        sender.broadcastHeartbeat(r.context());
    }

    /** Answers reads postponed until an entry of this term committed. */
    void releasePendingReadIndexMessages() {
        if (node.pendingReadIndexMessages.isEmpty() || !node.committedEntryInCurrentTerm()) {
            return;
        }
        List<MsgReadIndex> pending = new ArrayList<>(node.pendingReadIndexMessages);
        node.pendingReadIndexMessages.clear();
        for (MsgReadIndex r : pending) {
            confirmReadIndex(r);
        }
    }

    void handleAppendResponse(MsgAppResp m, Progress pr) {
        pr.setRecentActive(true);
        if (m.reject()) {
            long nextProbe = m.rejectHint();
            if (m.logTerm() > 0) {
                nextProbe = node.log.findConflictByTerm(m.rejectHint(), m.logTerm())[0];
            }
            if (pr.maybeDecrTo(m.index(), nextProbe)) {
                if (pr.state() == ProgressState.REPLICATE) {
                    pr.becomeProbe();
                }
                sender.sendAppend(m.from());
            }
            return;
        }
        boolean wasPaused = pr.isPaused();
        // A probe answered at the current match also proves the follower is in sync.
        boolean matched = pr.maybeUpdate(m.index());
        if (!matched && !(pr.match() == m.index() && pr.state() == ProgressState.PROBE)) {
            return;
        }
        switch (pr.state()) {
            case PROBE -> pr.becomeReplicate();
            case SNAPSHOT -> {
                // Whatever index the follower restored, if our log can continue from it, do.
                if (pr.match() + 1 >= node.log.firstIndex()) {
                    pr.becomeProbe();
                    pr.becomeReplicate();
                }
            }
            case REPLICATE -> pr.inflights().freeLE(m.index());
            default -> throw new IllegalStateException();
        }
        if (sender.maybeCommit()) {
            releasePendingReadIndexMessages();
            sender.broadcastAppend();
        } else if (wasPaused && m.from() != node.id) {
            // While paused it missed the broadcast of the latest commit index: send it now.
            sender.sendAppend(m.from());
        }
        if (m.from() != node.id) {
            // The window may have opened for several messages at once: fill it.
            while (sender.maybeSendAppend(m.from(), false)) {
                // keep sending
            }
        }
        if (m.from() == node.leadTransferee && pr.match() == node.log.lastIndex()) {
            node.info("sent MsgTimeoutNow to %s after received MsgAppResp", RaftNode.hex(m.from()));
            node.send(new MsgTimeoutNow(node.id, m.from(), node.term));
        }
    }

    private void handleHeartbeatResponse(MsgHeartbeatResp m, Progress pr) {
        pr.setRecentActive(true);
        pr.resumeMsgAppFlow();
        // A full window may be full of lost appends: free one slot so the follower can recover.
        if (pr.state() == ProgressState.REPLICATE && pr.inflights().full()) {
            pr.inflights().freeFirstOne();
        }
        if (pr.match() < node.log.lastIndex()) {
            sender.sendAppend(m.from());
        }
        if (node.readOnly.option() != ReadOnlyOption.SAFE || m.context().length == 0) {
            return;
        }
        VoteLookup acks = node.readOnly.recvAck(m.from(), m.context());
        if (acks == null || node.tracker.config().voters().voteResult(acks) != VoteResult.WON) {
            return;
        }
        for (ReadOnly.Pending p : node.readOnly.advance(m.context())) {
            node.answerReadIndex(p.request, p.index);
        }
    }

    private void handleTransferLeader(MsgTransferLeader m, Progress pr) {
        long transferee = m.from();
        if (pr.isLearner()) {
            node.info("is learner; ignored transferring leadership to %s", RaftNode.hex(transferee));
            return;
        }
        if (node.leadTransferee != 0) {
            if (node.leadTransferee == transferee) {
                return;
            }
            node.abortLeaderTransfer();
        }
        if (transferee == node.id) {
            return;
        }
        // Thesis §3.10: the transfer must finish within an election timeout.
        node.electionElapsed = 0;
        node.leadTransferee = transferee;
        node.info("starts to transfer leadership to %s", RaftNode.hex(transferee));
        if (pr.match() == node.log.lastIndex()) {
            node.send(new MsgTimeoutNow(node.id, transferee, node.term));
        } else {
            sender.sendAppend(transferee);
        }
    }

    void reportUnreachable(long id) {
        Progress pr = node.tracker.get(id);
        // While streaming, a lost append would stall the window: fall back to probing.
        if (pr != null && pr.state() == ProgressState.REPLICATE) {
            pr.becomeProbe();
        }
    }

    void reportSnapshot(long id, boolean success) {
        Progress pr = node.tracker.get(id);
        if (pr == null || pr.state() != ProgressState.SNAPSHOT) {
            return;
        }
        if (!success) {
            pr.becomeSnapshot(0);
        }
        // Probe from after the snapshot (or from match after a failure); wait for a response or
        // a heartbeat before sending, as the snapshot may still be being applied.
        pr.becomeProbe();
        pr.pauseMsgAppFlow();
        node.debug("snapshot %s to %s, progress %s", success ? "succeeded" : "failed", RaftNode.hex(id), pr);
    }
}
