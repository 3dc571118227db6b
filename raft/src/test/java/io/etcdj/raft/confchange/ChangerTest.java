package io.etcdj.raft.confchange;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.etcdj.raft.ConfChangeSingle;
import io.etcdj.raft.ConfChangeType;
import io.etcdj.raft.ConfState;
import io.etcdj.raft.tracker.ProgressTracker;
import java.util.List;
import org.junit.jupiter.api.Test;

class ChangerTest {

    private static ProgressTracker tracker(ConfState cs) {
        ProgressTracker t = new ProgressTracker(16, 0);
        Restore.restore(t, 10, cs);
        return t;
    }

    private static ConfChangeSingle c(ConfChangeType type, long id) {
        return new ConfChangeSingle(type, id);
    }

    private static void install(ProgressTracker t, Changer.Result r) {
        t.install(r.config(), r.progress());
    }

    @Test
    void simpleRefusesChangingTwoVoters() {
        ProgressTracker t = tracker(ConfState.ofVoters(1L, 2L, 3L));
        assertThatThrownBy(() -> new Changer(t, 10).simple(List.of(c(ConfChangeType.ADD_NODE, 4), c(ConfChangeType.ADD_NODE, 5))))
                .hasMessage("more than one voter changed without entering joint config");
        // Adding a learner and a voter at once is one voter change.
        install(t, new Changer(t, 10).simple(List.of(c(ConfChangeType.ADD_NODE, 4), c(ConfChangeType.ADD_LEARNER_NODE, 5))));
        assertThat(t.confState().voters()).containsExactly(1L, 2L, 3L, 4L);
        assertThat(t.confState().learners()).containsExactly(5L);
        assertThat(t.get(4).next()).isEqualTo(10);
    }

    @Test
    void demotingAVoterWhileJointGoesThroughLearnersNext() {
        ProgressTracker t = tracker(ConfState.ofVoters(1L, 2L, 3L));
        install(t, new Changer(t, 10).enterJoint(false, List.of(c(ConfChangeType.ADD_LEARNER_NODE, 3))));
        ConfState cs = t.confState();
        assertThat(cs.voters()).containsExactly(1L, 2L);
        assertThat(cs.votersOutgoing()).containsExactly(1L, 2L, 3L);
        assertThat(cs.learnersNext()).containsExactly(3L);
        assertThat(cs.learners()).isEmpty();
        assertThatThrownBy(() -> new Changer(t, 10).enterJoint(false, List.of())).hasMessage("config is already joint");
        install(t, new Changer(t, 10).leaveJoint());
        assertThat(t.confState()).isEqualTo(new ConfState(List.of(1L, 2L), List.of(3L), List.of(), List.of(), false));
        assertThat(t.get(3).isLearner()).isTrue();
    }

    @Test
    void leaveJointDropsNodesOnlyInOutgoingHalf() {
        ProgressTracker t = tracker(ConfState.ofVoters(1L, 2L, 3L));
        install(t, new Changer(t, 10).enterJoint(true, List.of(c(ConfChangeType.REMOVE_NODE, 3), c(ConfChangeType.ADD_NODE, 4))));
        assertThat(t.get(3)).isNotNull();
        install(t, new Changer(t, 10).leaveJoint());
        assertThat(t.get(3)).isNull();
        assertThat(t.confState().voters()).containsExactly(1L, 2L, 4L);
        assertThatThrownBy(() -> new Changer(t, 10).leaveJoint()).hasMessage("can't leave a non-joint config");
    }

    @Test
    void restoreRoundTripsJointConfState() {
        ConfState cs = new ConfState(List.of(1L, 2L, 4L), List.of(5L), List.of(1L, 2L, 3L), List.of(3L), true);
        assertThat(tracker(cs).confState()).isEqualTo(cs);
    }

    @Test
    void removingAllVotersIsRefused() {
        ProgressTracker t = tracker(ConfState.ofVoters(1L));
        assertThatThrownBy(() -> new Changer(t, 10).simple(List.of(c(ConfChangeType.REMOVE_NODE, 1))))
                .hasMessage("removed all voters");
    }
}
