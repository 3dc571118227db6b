package io.etcdj.raft.quorum;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * The fast quorum code (sorting, counting) against a deliberately naive model: "the largest
 * index i such that a majority acknowledged at least i", "won iff a majority said yes".
 */
class QuorumPropertiesTest {

    /** Voter ids (1..9) with an acked index (0..20) each; ids absent from the map acked nothing. */
    record Case(Set<Long> voters, Map<Long, Long> acked) {
    }

    @Provide
    Arbitrary<Case> cases() {
        Arbitrary<Set<Long>> voters = Arbitraries.longs().between(1, 9).set().ofMinSize(0).ofMaxSize(7);
        Arbitrary<Map<Long, Long>> acked = Arbitraries.maps(Arbitraries.longs().between(1, 9),
                Arbitraries.longs().between(0, 20)).ofMaxSize(9);
        return Combinators.combine(voters, acked).as(Case::new);
    }

    static long naiveCommitted(Set<Long> voters, Map<Long, Long> acked) {
        if (voters.isEmpty()) {
            return Long.MAX_VALUE;
        }
        long best = 0;
        for (long i = 0; i <= 20; i++) {
            int count = 0;
            for (long v : voters) {
                if (acked.getOrDefault(v, 0L) >= i) {
                    count++;
                }
            }
            if (count > voters.size() / 2) {
                best = i;
            }
        }
        return best;
    }

    private static MajorityConfig config(Set<Long> ids) {
        return new MajorityConfig(IdSet.of(List.copyOf(ids)));
    }

    @Property
    void majorityCommittedIndexMatchesModel(@ForAll("cases") Case c) {
        long fast = config(c.voters()).committedIndex(id -> c.acked().getOrDefault(id, 0L));
        assertThat(fast).isEqualTo(naiveCommitted(c.voters(), c.acked()));
    }

    @Property
    void jointCommittedIndexIsMinimumOfBothHalves(@ForAll("cases") Case in, @ForAll("cases") Case out) {
        Map<Long, Long> acked = new HashMap<>(in.acked());
        JointConfig joint = new JointConfig(config(in.voters()), config(out.voters()));
        long fast = joint.committedIndex(id -> acked.getOrDefault(id, 0L));
        long model = Math.min(naiveCommitted(in.voters(), acked), naiveCommitted(out.voters(), acked));
        assertThat(fast).isEqualTo(model);
    }

    /** Voters and their votes: true yes, false no, absent missing. */
    record VoteCase(Set<Long> voters, Map<Long, Boolean> votes) {
    }

    @Provide
    Arbitrary<VoteCase> voteCases() {
        Arbitrary<Set<Long>> voters = Arbitraries.longs().between(1, 9).set().ofMaxSize(7);
        Arbitrary<Map<Long, Boolean>> votes = Arbitraries.maps(Arbitraries.longs().between(1, 9),
                Arbitraries.of(true, false)).ofMaxSize(9);
        return Combinators.combine(voters, votes).as(VoteCase::new);
    }

    static VoteResult naiveVote(Set<Long> voters, Map<Long, Boolean> votes) {
        if (voters.isEmpty()) {
            return VoteResult.WON;
        }
        int yes = 0;
        int no = 0;
        for (long v : voters) {
            Boolean b = votes.get(v);
            if (Boolean.TRUE.equals(b)) {
                yes++;
            } else if (Boolean.FALSE.equals(b)) {
                no++;
            }
        }
        int need = voters.size() / 2 + 1;
        if (yes >= need) {
            return VoteResult.WON;
        }
        // Lost when even all missing votes turning yes would not reach a majority.
        return voters.size() - no >= need ? VoteResult.PENDING : VoteResult.LOST;
    }

    private static VoteLookup lookup(Map<Long, Boolean> votes) {
        return id -> {
            Boolean b = votes.get(id);
            return b == null ? VoteLookup.Vote.MISSING : b ? VoteLookup.Vote.YES : VoteLookup.Vote.NO;
        };
    }

    @Property
    void majorityVoteMatchesModel(@ForAll("voteCases") VoteCase c) {
        assertThat(config(c.voters()).voteResult(lookup(c.votes()))).isEqualTo(naiveVote(c.voters(), c.votes()));
    }

    @Property
    void jointVoteNeedsBothHalves(@ForAll("voteCases") VoteCase in, @ForAll("voteCases") VoteCase out) {
        JointConfig joint = new JointConfig(config(in.voters()), config(out.voters()));
        VoteResult a = naiveVote(in.voters(), in.votes());
        VoteResult b = naiveVote(out.voters(), in.votes());
        VoteResult model = a == VoteResult.WON && b == VoteResult.WON ? VoteResult.WON
                : a == VoteResult.LOST || b == VoteResult.LOST ? VoteResult.LOST : VoteResult.PENDING;
        assertThat(joint.voteResult(lookup(in.votes()))).isEqualTo(model);
    }

    /** Negative control for the model: it must disagree with a wrong quorum (n/2 instead of n/2+1). */
    @Example
    void modelRejectsOffByOneQuorum() {
        Set<Long> voters = new TreeSet<>(List.of(1L, 2L, 3L, 4L));
        Map<Long, Long> acked = Map.of(1L, 5L, 2L, 5L, 3L, 1L, 4L, 1L);
        // Two of four acked 5: not a majority, so committed must be 1.
        assertThat(naiveCommitted(voters, acked)).isEqualTo(1);
        assertThat(config(voters).committedIndex(id -> acked.getOrDefault(id, 0L))).isEqualTo(1);
    }
}
