package io.etcdj.raft;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/**
 * Thesis §9.6 PreVote and §6.2 CheckQuorum, with every node ticking: the partial partition of
 * reliability.md §2.2 must neither raise a term nor cause an election.
 */
class PreVoteAndPartitionTest {

    private static Network electedCluster(boolean preVote, boolean checkQuorum) {
        Network net = new Network(b -> b.preVote(preVote).checkQuorum(checkQuorum), 1, 2, 3);
        net.elect(1);
        net.tickAll(3);
        assertThat(net.leader()).isEqualTo(1);
        return net;
    }

    @Test
    void partialPartition_memberCutFromLeaderOnly_doesNotRaiseTermOrCauseElection() {
        Network net = electedCluster(true, true);
        long term = net.peer(1).term();
        net.cut(1, 3);
        net.tickAll(100);
        assertThat(net.leader()).isEqualTo(1);
        assertThat(net.peer(1).term()).isEqualTo(term);
        assertThat(net.peer(2).term()).isEqualTo(term);
        assertThat(net.peer(3).term()).isEqualTo(term);
        net.heal();
        net.tickAll(30);
        assertThat(net.leader()).isEqualTo(1);
        for (Network.Peer p : net.peers.values()) {
            assertThat(p.term()).as("term of %d", p.id).isEqualTo(term);
            assertThat(p.raft().lead).isEqualTo(1);
        }
        // The cluster still commits.
        net.node(1).propose("after-heal".getBytes());
        net.stabilize();
        assertThat(net.peer(3).applied.lastEntry().getValue().data()).isEqualTo("after-heal".getBytes());
    }

    /** Negative control: without PreVote the same partition disrupts the cluster on heal. */
    @Test
    void partialPartition_withoutPreVote_termInflatesAndLeaderIsDisrupted() {
        Network net = electedCluster(false, true);
        long term = net.peer(1).term();
        net.cut(1, 3);
        net.tickAll(100);
        assertThat(net.peer(3).term()).isGreaterThan(term);
        net.heal();
        net.tickAll(30);
        // The inflated term reached the leader: it had to give up its term.
        assertThat(net.peer(1).term()).isGreaterThan(term);
    }

    @Test
    void section9_6_isolatedNodeKeepsItsTerm() {
        Network net = electedCluster(true, true);
        long term = net.peer(3).term();
        net.isolate(3);
        net.tickAll(100);
        assertThat(net.peer(3).term()).isEqualTo(term);
        assertThat(net.peer(3).state()).isEqualTo(StateType.PRE_CANDIDATE);
    }

    @Test
    void section6_2_checkQuorum_isolatedLeaderStepsDownAndMajorityElectsNewLeader() {
        Network net = electedCluster(true, true);
        net.isolate(1);
        net.tickAll(60);
        assertThat(net.peer(1).state()).isNotEqualTo(StateType.LEADER);
        long newLeader = net.leader();
        assertThat(newLeader).isIn(2L, 3L);
        net.heal();
        net.tickAll(5);
        assertThat(net.peer(1).raft().lead).isEqualTo(newLeader);
    }

    @Test
    void section6_2_followerInLeaseIgnoresVoteRequests() {
        Network net = electedCluster(false, true);
        long term = net.peer(2).term();
        // 3 campaigns for real (no pre-vote); 2 hears from 1 and refuses to help unseat it.
        net.cut(1, 3);
        net.node(3).campaign();
        net.stabilize();
        assertThat(net.peer(2).term()).isEqualTo(term);
        assertThat(net.peer(3).state()).isEqualTo(StateType.CANDIDATE);
    }
}
