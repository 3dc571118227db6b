package io.etcdj.raft.simulation;

/**
 * Bugs the harness can plant around an unchanged raft core, to show the simulation catches
 * them (negative controls). Each stands for a class of real bug in a raft user or core.
 */
enum PlantedBug {
    /** No bug: the run must see no violation. */
    NONE,
    /** Hard state persisted without the vote: after a crash the node can vote twice in a term. */
    FORGET_VOTE,
    /** A granted vote is delivered a second time under another voter's id: one vote counted twice. */
    DOUBLE_COUNT_VOTE,
    /** Messages (acks included) go out before the Ready is persisted, and crashes hit in between. */
    ACK_BEFORE_PERSIST,
    /**
     * In the core: the leader commits an entry of an earlier term once a quorum holds it (Raft
     * §5.4.2, figure 8), through the core's test-only switch {@code plantedBugCommitAnyTerm}.
     */
    COMMIT_PREVIOUS_TERM_BY_COUNT
}
