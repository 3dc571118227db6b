package io.etcdj.raft.quorum;

import java.util.Arrays;

/** A set of voters deciding by simple majority. */
public record MajorityConfig(IdSet voters) {

    public static final MajorityConfig EMPTY = new MajorityConfig(IdSet.EMPTY);

    public static MajorityConfig of(long... ids) {
        return new MajorityConfig(IdSet.of(ids));
    }

    public int size() {
        return voters.size();
    }

    public boolean contains(long id) {
        return voters.contains(id);
    }

    /**
     * The largest index acknowledged by a majority. An empty configuration returns
     * {@link Long#MAX_VALUE} so that, inside a joint configuration, it never holds the other half
     * back (the empty half agrees to everything).
     */
    public long committedIndex(AckedIndexer acked) {
        int n = voters.size();
        if (n == 0) {
            return Long.MAX_VALUE;
        }
        long[] indexes = new long[n];
        for (int i = 0; i < n; i++) {
            indexes[i] = acked.ackedIndex(voters.get(i));
        }
        Arrays.sort(indexes);
        // With ascending order, the element at n - quorum is held by at least quorum voters.
        int quorum = n / 2 + 1;
        return indexes[n - quorum];
    }

    /** Won with a majority of yes, lost once a majority can no longer be reached. */
    public VoteResult voteResult(VoteLookup votes) {
        int n = voters.size();
        if (n == 0) {
            // An empty configuration wins every vote, by the same argument as committedIndex.
            return VoteResult.WON;
        }
        int yes = 0;
        int missing = 0;
        for (int i = 0; i < n; i++) {
            switch (votes.vote(voters.get(i))) {
                case YES -> yes++;
                case MISSING -> missing++;
                case NO -> { }
                default -> throw new IllegalStateException();
            }
        }
        int quorum = n / 2 + 1;
        if (yes >= quorum) {
            return VoteResult.WON;
        }
        if (yes + missing >= quorum) {
            return VoteResult.PENDING;
        }
        return VoteResult.LOST;
    }

    @Override
    public String toString() {
        return voters.toString();
    }
}
