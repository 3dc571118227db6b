package io.etcdj.raft.simulation;

import static org.assertj.core.api.Assertions.assertThat;

import io.etcdj.raft.StateType;
import org.junit.jupiter.api.Test;

/**
 * reliability.md §2.2: cut only the link between the leader and one follower (the follower still
 * hears the third member), wait many election timeouts, heal. With PreVote and CheckQuorum the
 * cut-off member must neither raise its term nor disturb the leader, during the cut or on rejoin.
 * Without PreVote (the negative control) the same schedule inflates the term and deposes the
 * leader when the member rejoins, as etcd 3.4 did on this machine.
 */
class PartialPartitionTest {

    private static final FaultProfile CALM = new FaultProfile(SimNetwork.Faults.NONE, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1 << 20);
    private static final int TIMEOUTS_CUT = 20;

    private record Run(long leader, long termBefore, long maxTermDuringCut, long maxTermAfter, long leaderAfter) {
    }

    private static Run cutLeaderFromOneFollowerThenHeal(boolean preVote) {
        Simulation sim = new Simulation(1, Simulation.Options.of(3).withProfile(CALM).withPreVote(preVote));
        sim.advance(5 * Simulation.ELECTION_TICK);
        SimNode leader = sim.leader();
        assertThat(leader).as("leader after start-up").isNotNull();
        long term = leader.term();
        long follower = sim.nodes().keySet().stream().filter(id -> id != leader.id()).findFirst().orElseThrow();
        sim.network().partitions().cutBoth(leader.id(), follower);
        long maxDuring = 0;
        for (int i = 0; i < TIMEOUTS_CUT; i++) {
            sim.advance(Simulation.ELECTION_TICK);
            maxDuring = Math.max(maxDuring, maxTerm(sim));
            assertThat(sim.leader()).as("leader while cut").isSameAs(leader);
        }
        sim.proposeOne();
        sim.network().partitions().heal();
        sim.advance(5 * Simulation.ELECTION_TICK);
        SimNode after = sim.leader();
        return new Run(leader.id(), term, maxDuring, maxTerm(sim), after == null ? 0 : after.id());
    }

    private static long maxTerm(Simulation sim) {
        return sim.nodes().values().stream().mapToLong(SimNode::term).max().orElseThrow();
    }

    @Test
    void withPreVoteAndCheckQuorumTheCutOffMemberNeitherRaisesTheTermNorDisruptsOnRejoin() {
        Run run = cutLeaderFromOneFollowerThenHeal(true);
        assertThat(run.maxTermDuringCut()).as("term during the cut").isEqualTo(run.termBefore());
        assertThat(run.maxTermAfter()).as("term after healing").isEqualTo(run.termBefore());
        assertThat(run.leaderAfter()).as("leader after healing").isEqualTo(run.leader());
    }

    @Test
    void withoutPreVoteTheSameScheduleInflatesTheTermAndDeposesTheLeader() {
        Run run = cutLeaderFromOneFollowerThenHeal(false);
        assertThat(run.maxTermDuringCut()).as("term during the cut").isGreaterThan(run.termBefore());
        assertThat(run.maxTermAfter()).as("term after healing").isGreaterThan(run.termBefore());
    }

    @Test
    void theCutOffMemberFollowsTheLeaderAgainAfterHealing() {
        Simulation sim = new Simulation(2, Simulation.Options.of(3).withProfile(CALM));
        sim.advance(5 * Simulation.ELECTION_TICK);
        SimNode leader = sim.leader();
        SimNode follower = sim.nodes().values().stream().filter(n -> n != leader).findFirst().orElseThrow();
        sim.network().partitions().cutBoth(leader.id(), follower.id());
        sim.advance(TIMEOUTS_CUT * Simulation.ELECTION_TICK);
        sim.network().partitions().heal();
        sim.advance(3 * Simulation.ELECTION_TICK);
        assertThat(follower.role()).isEqualTo(StateType.FOLLOWER);
        assertThat(follower.term()).isEqualTo(leader.term());
    }
}
