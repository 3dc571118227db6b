package io.etcdj.raft;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** §5.1 terms and §5.2 leader election. */
class ElectionTest {

    @Test
    void section5_2_campaignWithPreVoteElectsLeaderAtNextTerm() {
        Network net = new Network(1, 2, 3);
        net.elect(1);
        assertThat(net.peer(1).state()).isEqualTo(StateType.LEADER);
        assertThat(net.peer(1).term()).isEqualTo(2);
        assertThat(net.peer(2).raft().lead).isEqualTo(1);
        assertThat(net.peer(3).raft().lead).isEqualTo(1);
        // The leader's empty entry commits and is applied everywhere.
        for (long id = 1; id <= 3; id++) {
            assertThat(net.peer(id).applied).containsKey(2L);
        }
    }

    @Test
    void section5_2_electionTimeoutStartsElection() {
        Network net = new Network(1, 2, 3);
        net.tickAll(25);
        assertThat(net.leader()).isNotZero();
        long leaders = net.peers.values().stream().filter(p -> p.state() == StateType.LEADER).count();
        assertThat(leaders).isEqualTo(1);
    }

    @Test
    void section5_2_singleNodeBecomesLeaderAlone() {
        Network net = new Network(1);
        net.elect(1);
        assertThat(net.peer(1).state()).isEqualTo(StateType.LEADER);
        net.node(1).propose(new byte[] {7});
        net.stabilize();
        assertThat(net.peer(1).applied.lastEntry().getValue().data()).containsExactly(7);
    }
}
