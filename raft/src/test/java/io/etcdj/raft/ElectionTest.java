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

    @Test
    void section5_2_candidateStepsDownOnAppendFromLeaderOfItsTerm() {
        Network net = new Network(b -> b.preVote(false), 1, 2, 3);
        net.isolate(3);
        net.elect(1);
        // 3 campaigns alone at term 2 (the same term 1 won) and hears from the leader.
        net.node(3).campaign();
        net.stabilize();
        assertThat(net.peer(3).state()).isEqualTo(StateType.CANDIDATE);
        assertThat(net.peer(3).term()).isEqualTo(2);
        net.heal();
        // The leader's next heartbeat reaches 3 at term 2: someone else won, 3 follows it.
        net.node(1).tick();
        net.stabilize();
        assertThat(net.peer(3).state()).isEqualTo(StateType.FOLLOWER);
        assertThat(net.peer(3).raft().lead).isEqualTo(1);
    }

    @Test
    void section5_2_randomizedTimeoutsResolveRepeatedSplitVotes() {
        // Five nodes ticking in lockstep: randomized timeouts must break ties within a few rounds.
        Network net = new Network(b -> b.preVote(false).checkQuorum(false), 1, 2, 3, 4, 5);
        for (int round = 0; round < 200 && net.leader() == 0; round++) {
            net.tickAll(1);
        }
        assertThat(net.leader()).isNotZero();
        long leaders = net.peers.values().stream().filter(p -> p.state() == StateType.LEADER).count();
        assertThat(leaders).isEqualTo(1);
    }

    @Test
    void section5_2_electionTimeoutIsDrawnFromOneToTwoElectionTicks() {
        java.util.Set<Integer> seen = new java.util.TreeSet<>();
        for (long seed = 1; seed <= 200; seed++) {
            MemoryStorage s = Network.bootstrapStorage(new long[] {1, 2, 3}, new long[0]);
            RawNode n = new RawNode(Config.builder(1, s).electionTick(10)
                    .random(new java.util.SplittableRandom(seed)).build());
            seen.add(n.raft().randomizedElectionTimeout);
        }
        assertThat(seen).allMatch(t -> t >= 10 && t < 20).hasSize(10);
    }
}
