package io.etcdj.raft;

import static org.assertj.core.api.Assertions.assertThat;

import io.etcdj.raft.Message.MsgApp;
import io.etcdj.raft.Message.MsgAppResp;
import io.etcdj.raft.Message.MsgHeartbeat;
import io.etcdj.raft.Message.MsgVote;
import java.util.List;
import org.junit.jupiter.api.Test;

/** §5.1: terms as a logical clock. */
class TermsTest {

    private static RawNode single(long id, long... voters) {
        MemoryStorage s = Network.bootstrapStorage(voters, new long[0]);
        return new RawNode(Config.builder(id, s).build());
    }

    @Test
    void section5_1_higherTermMessageTurnsLeaderIntoFollower() {
        Network net = new Network(1, 2, 3);
        net.elect(1);
        RawNode leader = net.node(1);
        leader.step(new MsgApp(2, 1, 9, 0, 0, List.of(), 0));
        assertThat(leader.status().softState().raftState()).isEqualTo(StateType.FOLLOWER);
        assertThat(leader.status().hardState().term()).isEqualTo(9);
        assertThat(leader.status().softState().leader()).isEqualTo(2);
    }

    @Test
    void section5_1_staleTermAppendIsAnsweredWithCurrentTermButNotApplied() {
        RawNode n = single(1, 1, 2, 3);
        n.step(new MsgApp(2, 1, 5, 1, 1, List.of(), 1));
        drain(n);
        n.step(new MsgApp(3, 1, 4, 1, 1, List.of(Entry.of(4, 2, new byte[] {1})), 1));
        Ready rd = n.ready();
        // The stale leader learns our term (so it steps down) and nothing is appended.
        assertThat(rd.entries()).isEmpty();
        assertThat(rd.messages()).singleElement().isInstanceOfSatisfying(MsgAppResp.class,
                r -> assertThat(r.term()).isEqualTo(5));
    }

    @Test
    void section5_1_staleHeartbeatDoesNotChangeLeader() {
        RawNode n = single(1, 1, 2, 3);
        n.step(new MsgHeartbeat(2, 1, 5, 1, null));
        n.step(new MsgHeartbeat(3, 1, 4, 1, null));
        assertThat(n.status().softState().leader()).isEqualTo(2);
        assertThat(n.status().hardState().term()).isEqualTo(5);
    }

    @Test
    void section5_2_atMostOneVotePerTerm() {
        RawNode n = new RawNode(Config.builder(1, Network.bootstrapStorage(new long[] {1, 2, 3}, new long[0]))
                .checkQuorum(false).build());
        n.step(new MsgVote(2, 1, 5, 1, 1, false));
        n.step(new MsgVote(3, 1, 5, 1, 1, false));
        Ready rd = n.ready();
        assertThat(rd.hardState().vote()).isEqualTo(2);
        assertThat(rd.messages()).hasSize(2);
        assertThat(((Message.MsgVoteResp) rd.messages().get(0)).reject()).isFalse();
        assertThat(((Message.MsgVoteResp) rd.messages().get(1)).reject()).isTrue();
        // The vote must be persisted before the grant is sent.
        assertThat(rd.mustSync()).isTrue();
    }

    @Test
    void section5_1_restartKeepsTermAndVote() {
        Network net = new Network(1, 2, 3);
        net.elect(1);
        net.restart(2);
        assertThat(net.node(2).status().hardState().term()).isEqualTo(2);
        assertThat(net.node(2).status().hardState().vote()).isEqualTo(1);
    }

    static void drain(RawNode n) {
        while (n.hasReady()) {
            n.advance(n.ready());
        }
    }
}
