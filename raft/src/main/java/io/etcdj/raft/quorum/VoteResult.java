package io.etcdj.raft.quorum;

/** Outcome of a vote (or of a quorum-activity check) as far as it is known. */
public enum VoteResult {
    /** Not decided yet: enough votes are missing that either outcome is possible. */
    PENDING,
    /** Lost: even if all missing votes were yes there would be no quorum. */
    LOST,
    /** Won: a quorum voted yes. */
    WON
}
