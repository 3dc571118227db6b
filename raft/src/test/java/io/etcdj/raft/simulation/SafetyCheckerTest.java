package io.etcdj.raft.simulation;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The checker's own negative controls: a legal history passes, and each property rejects a
 * hand-made history that breaks exactly it.
 */
class SafetyCheckerTest {

    private static final long[][] NONE = new long[0][];

    private SafetyChecker checker;

    @BeforeEach
    void threeNodesFromOneBootstrapSnapshot() {
        checker = new SafetyChecker();
        for (long id = 1; id <= 3; id++) {
            checker.onStart(id, 1, 1, NONE, 1, 1, 1);
        }
    }

    @Test
    void legalHistoryPasses() {
        assertThatCode(() -> {
            checker.onHardState(1, 2, 1);
            checker.onLeader(1, 2);
            checker.onEntries(1, 2, new long[] {2, 2}, new long[] {20, 21});
            checker.onEntries(2, 2, new long[] {2, 2}, new long[] {20, 21});
            checker.onHardState(1, 2, 3);
            checker.onApply(1, 2, 2, 20);
            checker.onApply(1, 3, 2, 21);
            checker.onHardState(2, 2, 3);
            checker.onApply(2, 2, 2, 20);
            // node 3 was behind and gets a snapshot, then a new leader with all of it
            checker.onSnapshot(3, 3, 2);
            checker.onEntries(3, 4, new long[] {3}, new long[] {30});
            checker.onHardState(3, 3, 3);
            checker.onLeader(3, 3);
            // node 2 restarts from what it persisted and keeps going
            checker.onStart(2, 1, 1, new long[][] {{2, 20}, {2, 21}}, 2, 3, 1);
            checker.onEntries(2, 4, new long[] {3}, new long[] {30});
            checker.onHardState(2, 3, 4);
            checker.onHardState(3, 3, 4);
        }).doesNotThrowAnyException();
    }

    @Test
    void twoLeadersInOneTermBreakElectionSafety() {
        checker.onLeader(1, 2);
        assertThatThrownBy(() -> checker.onLeader(2, 2)).hasMessageContaining("Election Safety");
    }

    @Test
    void sameIndexAndTermWithDifferentPrefixBreaksLogMatching() {
        checker.onEntries(1, 2, new long[] {2, 2}, new long[] {20, 21});
        assertThatThrownBy(() -> checker.onEntries(2, 2, new long[] {2}, new long[] {99}))
                .hasMessageContaining("Log Matching");
    }

    @Test
    void sameEntryAfterADifferentPrefixBreaksLogMatching() {
        checker.onEntries(1, 2, new long[] {2, 2}, new long[] {20, 21});
        checker.onEntries(2, 2, new long[] {1}, new long[] {10});
        assertThatThrownBy(() -> checker.onEntries(2, 3, new long[] {2}, new long[] {21}))
                .hasMessageContaining("Log Matching");
    }

    @Test
    void aStaleLeaderMayPersistADifferentEntryAtACommittedIndex() {
        checker.onEntries(1, 2, new long[] {2}, new long[] {20});
        checker.onEntries(2, 2, new long[] {2}, new long[] {20});
        checker.onHardState(1, 2, 2);
        assertThatCode(() -> checker.onEntries(3, 2, new long[] {1}, new long[] {10})).doesNotThrowAnyException();
    }

    @Test
    void gapInTheLogBreaksLogMatching() {
        assertThatThrownBy(() -> checker.onEntries(1, 3, new long[] {2}, new long[] {20}))
                .hasMessageContaining("Log Matching");
    }

    @Test
    void leaderMissingACommittedEntryBreaksLeaderCompleteness() {
        checker.onEntries(1, 2, new long[] {2}, new long[] {20});
        checker.onEntries(2, 2, new long[] {2}, new long[] {20});
        checker.onHardState(1, 2, 2);
        checker.onHardState(3, 3, 1);
        assertThatThrownBy(() -> checker.onLeader(3, 3)).hasMessageContaining("Leader Completeness");
    }

    @Test
    void leaderWithADifferentEntryAtTheCommittedIndexBreaksLeaderCompleteness() {
        checker.onEntries(1, 2, new long[] {2}, new long[] {20});
        checker.onHardState(1, 2, 2);
        checker.onEntries(3, 2, new long[] {3}, new long[] {30});
        assertThatThrownBy(() -> checker.onLeader(3, 3)).hasMessageContaining("Leader Completeness");
    }

    @Test
    void twoNodesCommittingDifferentEntriesBreaksStateMachineSafety() {
        checker.onEntries(1, 2, new long[] {2}, new long[] {20});
        checker.onHardState(1, 2, 2);
        checker.onEntries(2, 2, new long[] {3}, new long[] {30});
        assertThatThrownBy(() -> checker.onHardState(2, 3, 2)).hasMessageContaining("State Machine Safety");
    }

    @Test
    void applyingADifferentEntryAtAnIndexBreaksStateMachineSafety() {
        checker.onEntries(1, 2, new long[] {2}, new long[] {20});
        checker.onHardState(1, 2, 2);
        checker.onApply(1, 2, 2, 20);
        checker.onEntries(2, 2, new long[] {2}, new long[] {20});
        checker.onHardState(2, 2, 2);
        assertThatThrownBy(() -> checker.onApply(2, 2, 2, 21)).hasMessageContaining("State Machine Safety");
    }

    @Test
    void applyingBeyondCommitOrOutOfOrderIsCaught() {
        checker.onEntries(1, 2, new long[] {2, 2}, new long[] {20, 21});
        assertThatThrownBy(() -> checker.onApply(1, 2, 2, 20)).hasMessageContaining("beyond its commit");
        checker.onHardState(1, 2, 3);
        assertThatThrownBy(() -> checker.onApply(1, 3, 2, 21)).hasMessageContaining("after 1");
    }

    @Test
    void overwritingACommittedEntryIsCaught() {
        checker.onEntries(1, 2, new long[] {2}, new long[] {20});
        checker.onHardState(1, 2, 2);
        assertThatThrownBy(() -> checker.onEntries(1, 2, new long[] {3}, new long[] {30}))
                .hasMessageContaining("at or below its commit index");
    }

    @Test
    void commitAndTermGoingBackAreCaughtAlsoAcrossRestart() {
        checker.onEntries(1, 2, new long[] {2}, new long[] {20});
        checker.onHardState(1, 2, 2);
        assertThatThrownBy(() -> checker.onHardState(1, 2, 1)).hasMessageContaining("Commit monotonic");
        assertThatThrownBy(() -> checker.onHardState(1, 1, 2)).hasMessageContaining("Term monotonic");
        assertThatThrownBy(() -> checker.onStart(1, 1, 1, new long[][] {{2, 20}}, 2, 1, 1))
                .hasMessageContaining("Commit monotonic", 1);
    }

    @Test
    void commitBeyondThePersistedLogIsCaught() {
        assertThatThrownBy(() -> checker.onHardState(1, 2, 2)).hasMessageContaining("Commit within log");
    }
}
