package io.etcdj.raft;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.etcdj.raft.confchange.ConfChangeException;
import java.util.List;
import org.junit.jupiter.api.Test;

/** §6 cluster membership changes: simple changes, joint consensus, learners. */
class MembershipTest {

    private static ConfChange v1(ConfChangeType type, long id) {
        return new ConfChange(type, id, null);
    }

    @Test
    void section6_addVoterWithSimpleChange() {
        Network net = new Network(1, 2, 3);
        net.addPeer(4, Network.bootstrapStorage(new long[] {1, 2, 3}, new long[0]));
        net.elect(1);
        net.node(1).proposeConfChange(v1(ConfChangeType.ADD_NODE, 4));
        net.stabilize();
        for (long id = 1; id <= 4; id++) {
            assertThat(net.peer(id).confState.voters()).containsExactly(1L, 2L, 3L, 4L);
        }
        // Four voters: three are needed; with two cut off nothing commits.
        net.isolate(3);
        net.isolate(4);
        long commit = net.peer(1).raft().log.committed();
        net.node(1).propose("x".getBytes());
        net.stabilize();
        assertThat(net.peer(1).raft().log.committed()).isEqualTo(commit);
    }

    @Test
    void section6_onlyOneUnappliedConfChangeAtATime() {
        Network net = new Network(1, 2, 3);
        net.elect(1);
        net.isolate(2);
        net.isolate(3);
        net.node(1).proposeConfChange(v1(ConfChangeType.ADD_LEARNER_NODE, 4));
        net.node(1).proposeConfChange(v1(ConfChangeType.ADD_LEARNER_NODE, 5));
        net.heal();
        net.stabilize();
        // The second was replaced by an empty entry while the first was pending.
        assertThat(net.peer(1).confState.learners()).containsExactly(4L);
    }

    @Test
    void section6_removedLeaderKeepsLeadingUntilItHandsOver() {
        Network net = new Network(1, 2, 3);
        net.elect(1);
        net.node(1).proposeConfChange(v1(ConfChangeType.REMOVE_NODE, 1));
        net.stabilize();
        // Still leader so 2 and 3 learn the commit index, but it takes no new proposals.
        assertThat(net.peer(1).state()).isEqualTo(StateType.LEADER);
        assertThat(net.peer(2).confState.voters()).containsExactly(2L, 3L);
        assertThatThrownBy(() -> net.node(1).propose("x".getBytes()))
                .isInstanceOf(ProposalDroppedException.class).hasMessageContaining("removed");
        net.node(1).transferLeadership(2);
        net.stabilize();
        assertThat(net.peer(2).state()).isEqualTo(StateType.LEADER);
        // 1 is no longer sent anything; its next heartbeat's answers carry the new term.
        net.tickAll(1);
        assertThat(net.peer(1).state()).isEqualTo(StateType.FOLLOWER);
        net.node(2).propose("y".getBytes());
        net.stabilize();
        assertThat(net.peer(3).applied.lastEntry().getValue().data()).isEqualTo("y".getBytes());
    }

    /** A removed leader that steps down at once could strand a voter that still needs its vote. */
    @Test
    void section6_removedLeaderStillCommitsForTheRemainingVoter() {
        Network net = new Network(1, 2);
        net.elect(1);
        net.node(1).proposeConfChange(v1(ConfChangeType.REMOVE_NODE, 1));
        net.stabilize();
        assertThat(net.peer(2).confState.voters()).containsExactly(2L);
        net.isolate(1);
        net.tickAll(40);
        assertThat(net.peer(2).state()).isEqualTo(StateType.LEADER);
    }

    @Test
    void section6_jointConsensusNeedsBothMajorities() {
        Network net = new Network(1, 2, 3);
        net.addPeer(4, Network.bootstrapStorage(new long[] {1, 2, 3}, new long[0]));
        net.addPeer(5, Network.bootstrapStorage(new long[] {1, 2, 3}, new long[0]));
        net.elect(1);
        net.node(1).proposeConfChange(new ConfChangeV2(ConfChangeTransition.JOINT_EXPLICIT,
                List.of(new ConfChangeSingle(ConfChangeType.ADD_NODE, 4), new ConfChangeSingle(ConfChangeType.ADD_NODE, 5),
                        new ConfChangeSingle(ConfChangeType.REMOVE_NODE, 2), new ConfChangeSingle(ConfChangeType.REMOVE_NODE, 3)),
                null));
        net.stabilize();
        assertThat(net.peer(1).confState.votersOutgoing()).containsExactly(1L, 2L, 3L);
        // New half (1 4 5) fully reachable, old half (1 2 3) has only 1: no commit.
        net.isolate(2);
        net.isolate(3);
        long commit = net.peer(1).raft().log.committed();
        net.node(1).propose("x".getBytes());
        net.stabilize();
        assertThat(net.peer(1).raft().log.committed()).isEqualTo(commit);
        // Old half back (a heartbeat round resends the lost appends): commits.
        net.heal();
        net.tickAll(2);
        assertThat(net.peer(1).raft().log.committed()).isGreaterThan(commit);
    }

    @Test
    void section6_learnerIsNotCountedForCommit() {
        Network net = new Network(1, 2);
        net.addPeer(3, Network.bootstrapStorage(new long[] {1, 2}, new long[0]));
        net.elect(1);
        net.node(1).proposeConfChange(v1(ConfChangeType.ADD_LEARNER_NODE, 3));
        net.stabilize();
        net.isolate(2);
        long commit = net.peer(1).raft().log.committed();
        net.node(1).propose("x".getBytes());
        net.stabilize();
        assertThat(net.peer(3).storage.lastIndex()).isGreaterThan(commit);
        assertThat(net.peer(1).raft().log.committed()).isEqualTo(commit);
    }

    @Test
    void applyingAnInvalidChangeIsRefusedWithoutEffect() {
        Network net = new Network(1, 2, 3);
        net.elect(1);
        ConfChangeV2 twoVoters = new ConfChangeV2(ConfChangeTransition.AUTO,
                List.of(new ConfChangeSingle(ConfChangeType.REMOVE_NODE, 1), new ConfChangeSingle(ConfChangeType.REMOVE_NODE, 2),
                        new ConfChangeSingle(ConfChangeType.REMOVE_NODE, 3)), null);
        assertThatThrownBy(() -> net.node(1).applyConfChange(twoVoters))
                .isInstanceOf(ConfChangeException.class).hasMessageContaining("removed all voters");
        assertThat(net.node(1).status().confState().voters()).containsExactly(1L, 2L, 3L);
    }
}
