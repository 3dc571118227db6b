package io.etcdj.raft.quorum;

/**
 * The voters in force: {@code incoming} alone, or {@code incoming} and {@code outgoing} together
 * while in a joint configuration (§6: decisions need a majority of both).
 */
public record JointConfig(MajorityConfig incoming, MajorityConfig outgoing) {

    public static final JointConfig EMPTY = new JointConfig(MajorityConfig.EMPTY, MajorityConfig.EMPTY);

    public boolean isJoint() {
        return outgoing.size() > 0;
    }

    /** Every voter of either half, ascending. */
    public IdSet ids() {
        return incoming.voters().union(outgoing.voters());
    }

    public boolean contains(long id) {
        return incoming.contains(id) || outgoing.contains(id);
    }

    /** The largest index both halves have committed. */
    public long committedIndex(AckedIndexer acked) {
        return Math.min(incoming.committedIndex(acked), outgoing.committedIndex(acked));
    }

    /** Won only if both halves won; lost if either lost. */
    public VoteResult voteResult(VoteLookup votes) {
        VoteResult in = incoming.voteResult(votes);
        VoteResult out = outgoing.voteResult(votes);
        if (in == out) {
            return in;
        }
        if (in == VoteResult.LOST || out == VoteResult.LOST) {
            return VoteResult.LOST;
        }
        return VoteResult.PENDING;
    }

    @Override
    public String toString() {
        return isJoint() ? incoming + "&&" + outgoing : incoming.toString();
    }
}
