package io.etcdj.raft;

import io.etcdj.raft.Message.MsgApp;
import io.etcdj.raft.Message.MsgHeartbeat;
import io.etcdj.raft.Message.MsgPreVoteResp;
import io.etcdj.raft.Message.MsgProp;
import io.etcdj.raft.Message.MsgSnap;
import io.etcdj.raft.Message.MsgVoteResp;
import io.etcdj.raft.quorum.VoteResult;
import io.etcdj.raft.tracker.ProgressTracker;

/**
 * Candidate (§5.2) or pre-candidate (thesis §9.6): counts votes; a leader's message at our term
 * means someone else won, so become its follower.
 */
final class CandidateRole implements Role {

    private final RaftNode node;
    private final ReplicationReceiver receiver;
    private final boolean preCandidate;

    CandidateRole(RaftNode node, ReplicationReceiver receiver, boolean preCandidate) {
        this.node = node;
        this.receiver = receiver;
        this.preCandidate = preCandidate;
    }

    @Override
    public StateType state() {
        return preCandidate ? StateType.PRE_CANDIDATE : StateType.CANDIDATE;
    }

    @Override
    public void tick() {
        node.elections.tickElection();
    }

    @Override
    public void step(Message m) {
        switch (m) {
            case MsgProp p -> throw new ProposalDroppedException("no leader at term " + node.term);
            case MsgApp a -> {
                // §5.2: another server established itself as leader of our term.
                node.becomeFollower(a.term(), a.from());
                receiver.handleAppend(a);
            }
            case MsgHeartbeat h -> {
                node.becomeFollower(h.term(), h.from());
                receiver.handleHeartbeat(h);
            }
            case MsgSnap s -> {
                node.becomeFollower(s.term(), s.from());
                receiver.handleSnapshot(s);
            }
            case MsgVoteResp r when !preCandidate -> countVote(r.from(), !r.reject(), r.term());
            case MsgPreVoteResp r when preCandidate -> countVote(r.from(), !r.reject(), r.term());
            default -> {
                // Stale responses, MsgTimeoutNow (we are campaigning already): ignore.
            }
        }
    }

    private void countVote(long from, boolean granted, long msgTerm) {
        ProgressTracker.Tally tally = node.elections.poll(from, granted, msgTerm);
        if (tally.result() == VoteResult.WON) {
            if (preCandidate) {
                node.elections.campaign(Elections.Campaign.ELECTION);
            } else {
                node.becomeLeader();
                node.sender.broadcastAppend();
            }
        } else if (tally.result() == VoteResult.LOST) {
            // A pre-vote rejection may carry a newer term; we adopt it in becomeFollower only
            // through the regular term check, so stay at ours here.
            node.becomeFollower(node.term, 0);
        }
    }
}
