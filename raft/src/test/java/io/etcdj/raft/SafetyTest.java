package io.etcdj.raft;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.etcdj.raft.Message.MsgApp;
import org.junit.jupiter.api.Test;

/** §5.4 safety: election restriction and the commit rule for entries of earlier terms. */
class SafetyTest {

    private static Network plainRaft(int size) {
        long[] ids = new long[size];
        for (int i = 0; i < size; i++) {
            ids[i] = i + 1;
        }
        // Figure 8 is about raft without PreVote/CheckQuorum; one entry per message lets the
        // test choose exactly which entries reach whom.
        return new Network(b -> b.preVote(false).checkQuorum(false).maxSizePerMsgBytes(0), ids);
    }

    @Test
    void section5_4_1_candidateWithStaleLogCannotWin() {
        Network net = plainRaft(3);
        net.elect(1);
        net.isolate(3);
        net.node(1).propose("a".getBytes());
        net.stabilize();
        net.heal();
        net.isolate(1);
        // 3 lacks "a"; 2 has it and refuses its vote, so 3 cannot gather a majority.
        net.elect(3);
        assertThat(net.peer(3).state()).isNotEqualTo(StateType.LEADER);
        net.elect(2);
        assertThat(net.peer(2).state()).isEqualTo(StateType.LEADER);
    }

    @Test
    void section5_4_2_leaderDoesNotCommitEarlierTermEntryByCountingReplicas() {
        Network net = figure8Prefix(false);
        // Index 3 (term 2) is on 1, 2 and 3, a majority, but not committed: it is not of term 4.
        assertThat(net.peer(1).raft().log.committed()).isEqualTo(2);
        figure8Finish(net);
        // 5 overwrote index 3 with its own term-3 entry; everyone applied the same.
        for (Network.Peer p : net.peers.values()) {
            if (p.id != 1) {
                assertThat(p.applied.get(3L).term()).isEqualTo(3);
            }
        }
    }

    /** Negative control: with the §5.4.2 check removed, the Figure 8 history breaks safety. */
    @Test
    void negativeControl_countingReplicasOfEarlierTermBreaksStateMachineSafety() {
        Network net = figure8Prefix(true);
        assertThat(net.peer(1).raft().log.committed()).isEqualTo(3);
        assertThatThrownBy(() -> figure8Finish(net))
                .isInstanceOf(AssertionError.class)
                .hasMessageContaining("state machine safety violated at index 3");
    }

    /** Raft paper Figure 8 (a)–(c), with our indexes shifted by the bootstrap entry. */
    private static Network figure8Prefix(boolean plantBug) {
        Network net = plainRaft(5);
        for (Network.Peer p : net.peers.values()) {
            p.raft().plantedBugCommitAnyTerm = plantBug;
        }
        net.elect(1);
        // (a) 1 leads at term 2 and replicates index 3 to 2 only.
        net.isolate(3);
        net.isolate(4);
        net.isolate(5);
        net.node(1).propose("x".getBytes());
        net.stabilize();
        // (b) 5 wins term 3 with 3 and 4, appends index 3 (term 3) locally only.
        net.heal();
        net.isolate(1);
        net.isolate(2);
        net.drop(m -> m.from() == 5 && m instanceof MsgApp);
        net.elect(5);
        assertThat(net.peer(5).state()).isEqualTo(StateType.LEADER);
        // (c) 1 restarts, wins term 4 and replicates index 3 (term 2) to 3, but not its term-4 entry.
        net.heal();
        net.isolate(5);
        net.restart(1);
        net.peer(1).raft().plantedBugCommitAnyTerm = plantBug;
        // Once a follower holds index 3, drop the append that would give it index 4.
        net.drop(m -> m instanceof MsgApp a && m.from() == 1 && !a.entries().isEmpty()
                && a.entries().getFirst().index() == 4 && net.peer(1).raft().tracker.get(m.to()).match() >= 3);
        net.elect(1);
        net.elect(1);
        assertThat(net.peer(1).state()).isEqualTo(StateType.LEADER);
        assertThat(net.peer(1).term()).isEqualTo(4);
        assertThat(net.peer(3).raft().log.termOrZero(3)).isEqualTo(2);
        return net;
    }

    /** (d) 1 crashes; 5 restarts and wins term 5 with 2, 3, 4, overwriting index 3. */
    private static void figure8Finish(Network net) {
        net.heal();
        net.isolate(1);
        net.restart(5);
        net.elect(5);
        net.elect(5);
        assertThat(net.peer(5).state()).isEqualTo(StateType.LEADER);
        net.node(5).propose("y".getBytes());
        net.stabilize();
    }
}
