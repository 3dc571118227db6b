package io.etcdj.raft;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** Thesis §6.4 read index (safe) and §6.4.1 leader lease reads. */
class ReadsTest {

    private static byte[] ctx(String s) {
        return s.getBytes();
    }

    @Test
    void section6_4_safeReadIndexReturnsCommitIndexAfterQuorumConfirms() {
        Network net = new Network(1, 2, 3);
        net.elect(1);
        net.node(1).propose("a".getBytes());
        net.stabilize();
        net.node(1).readIndex(ctx("r"));
        net.stabilize();
        assertThat(net.peer(1).readStates).singleElement().satisfies(rs -> {
            assertThat(rs.index()).isEqualTo(net.peer(1).raft().log.committed());
            assertThat(rs.requestContext()).isEqualTo(ctx("r"));
        });
    }

    @Test
    void section6_4_partitionedLeaderCannotServeSafeReads() {
        Network net = new Network(b -> b.checkQuorum(false), 1, 2, 3);
        net.elect(1);
        net.isolate(1);
        net.node(1).readIndex(ctx("stale?"));
        net.tickAll(5);
        assertThat(net.peer(1).readStates).isEmpty();
    }

    @Test
    void section6_4_manyConcurrentReadsAreServedByOneRound() {
        Network net = new Network(1, 2, 3);
        net.elect(1);
        net.isolate(2);
        net.isolate(3);
        for (int i = 0; i < 50; i++) {
            net.node(1).readIndex(ctx("r" + i));
        }
        net.stabilize();
        assertThat(net.peer(1).readStates).isEmpty();
        net.heal();
        // One heartbeat round carries the newest request's context; its quorum ack answers all.
        net.node(1).tick();
        net.stabilize();
        assertThat(net.peer(1).readStates).hasSize(50);
        assertThat(net.peer(1).readStates.get(0).requestContext()).isEqualTo(ctx("r0"));
    }

    @Test
    void section6_4_followerReadIsForwardedAndAnswered() {
        Network net = new Network(1, 2, 3);
        net.elect(1);
        net.node(3).readIndex(ctx("f"));
        net.stabilize();
        assertThat(net.peer(3).readStates).singleElement()
                .satisfies(rs -> assertThat(rs.index()).isEqualTo(net.peer(1).raft().log.committed()));
        assertThat(net.peer(1).readStates).isEmpty();
    }

    @Test
    void section6_4_newLeaderDefersReadsUntilItsTermCommits() {
        Network net = new Network(1, 2, 3);
        net.elect(1);
        // 2 becomes leader, but its first entry of the new term cannot replicate yet.
        net.drop(m -> m.from() == 2 && m instanceof Message.MsgApp);
        net.node(1).transferLeadership(2);
        net.stabilize();
        assertThat(net.leader()).isEqualTo(2);
        assertThat(net.peer(2).raft().committedEntryInCurrentTerm()).isFalse();
        net.node(2).readIndex(ctx("early"));
        net.stabilize();
        assertThat(net.peer(2).readStates).isEmpty();
        net.heal();
        net.tickAll(1);
        // Answered once the term's entry committed, at an index that includes it.
        assertThat(net.peer(2).readStates).singleElement()
                .satisfies(rs -> assertThat(rs.index()).isEqualTo(net.peer(2).raft().log.lastIndex()));
    }

    @Test
    void section6_4_1_leaseReadNeedsNoRoundTrip() {
        Network net = new Network(b -> b.readOnlyOption(ReadOnlyOption.LEASE_BASED), 1, 2, 3);
        net.elect(1);
        net.isolate(2);
        net.isolate(3);
        net.node(1).readIndex(ctx("lease"));
        net.processReady(1);
        assertThat(net.peer(1).readStates).singleElement()
                .satisfies(rs -> assertThat(rs.index()).isEqualTo(net.peer(1).raft().log.committed()));
    }
}
