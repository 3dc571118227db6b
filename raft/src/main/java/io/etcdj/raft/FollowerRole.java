package io.etcdj.raft;

import io.etcdj.raft.Message.MsgApp;
import io.etcdj.raft.Message.MsgHeartbeat;
import io.etcdj.raft.Message.MsgProp;
import io.etcdj.raft.Message.MsgReadIndex;
import io.etcdj.raft.Message.MsgReadIndexResp;
import io.etcdj.raft.Message.MsgSnap;
import io.etcdj.raft.Message.MsgTimeoutNow;
import io.etcdj.raft.Message.MsgTransferLeader;

/** Follower: accepts the leader's log, forwards requests to it, campaigns on election timeout. */
final class FollowerRole implements Role {

    private final RaftNode node;
    private final ReplicationReceiver receiver;

    FollowerRole(RaftNode node, ReplicationReceiver receiver) {
        this.node = node;
        this.receiver = receiver;
    }

    @Override
    public StateType state() {
        return StateType.FOLLOWER;
    }

    @Override
    public void tick() {
        node.elections.tickElection();
    }

    @Override
    public void step(Message m) {
        switch (m) {
            case MsgProp p -> forwardProposal(p);
            case MsgApp a -> {
                heardFromLeader(a.from());
                receiver.handleAppend(a);
            }
            case MsgHeartbeat h -> {
                heardFromLeader(h.from());
                receiver.handleHeartbeat(h);
            }
            case MsgSnap s -> {
                heardFromLeader(s.from());
                receiver.handleSnapshot(s);
            }
            case MsgTransferLeader t -> {
                if (node.lead == 0) {
                    node.info("no leader at term %d; dropping leader transfer msg", node.term);
                    return;
                }
                node.send(new MsgTransferLeader(t.from(), node.lead, node.term));
            }
            case MsgTimeoutNow t -> {
                // Thesis §3.10: the leader asks us to campaign now; no pre-vote, since we are
                // not recovering from a partition.
                node.info("received MsgTimeoutNow from %s and starts an election to get leadership",
                        RaftNode.hex(t.from()));
                node.elections.hup(true);
            }
            case MsgReadIndex r -> {
                if (node.lead == 0) {
                    node.info("no leader at term %d; dropping index reading msg", node.term);
                    return;
                }
                node.send(new MsgReadIndex(r.from(), node.lead, 0, r.context()));
            }
            case MsgReadIndexResp r -> node.readStates.add(new ReadState(r.index(), r.context()));
            default -> {
                // Responses addressed to a former role are stale: ignore.
            }
        }
    }

    private void heardFromLeader(long leader) {
        node.electionElapsed = 0;
        node.lead = leader;
    }

    private void forwardProposal(MsgProp p) {
        if (node.lead == 0) {
            throw new ProposalDroppedException("no leader at term " + node.term);
        }
        if (node.config.disableProposalForwarding()) {
            throw new ProposalDroppedException("not forwarding to leader " + RaftNode.hex(node.lead)
                    + " at term " + node.term + " (proposal forwarding disabled)");
        }
        node.send(new MsgProp(p.from(), node.lead, 0, p.entries()));
    }
}
