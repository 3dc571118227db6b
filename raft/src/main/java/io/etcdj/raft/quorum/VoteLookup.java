package io.etcdj.raft.quorum;

/** How a voter voted. */
@FunctionalInterface
public interface VoteLookup {
    Vote vote(long voterId);

    /** One voter's vote. */
    enum Vote { YES, NO, MISSING }
}
