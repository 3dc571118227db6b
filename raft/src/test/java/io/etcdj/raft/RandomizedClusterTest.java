package io.etcdj.raft;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashMap;
import java.util.Map;
import java.util.SplittableRandom;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;

/**
 * A small seeded randomized run (the full simulation lives in the sim branch): random ticks,
 * reordered and dropped messages, partitions, crashes and proposals, checking Election Safety,
 * State Machine Safety (in {@link Network}) and Leader Completeness at every step, then
 * liveness once the network heals. A failure prints its seed; the seed replays it.
 */
class RandomizedClusterTest {

    @Property(tries = 40)
    void safetyUnderRandomFaultsAndLivenessAfterHealing(@ForAll long seed) {
        SplittableRandom rnd = new SplittableRandom(seed);
        int size = 3 + rnd.nextInt(3);
        long[] ids = new long[size];
        for (int i = 0; i < size; i++) {
            ids[i] = i + 1;
        }
        boolean preVote = rnd.nextBoolean();
        Network net = new Network(b -> b.preVote(preVote).checkQuorum(preVote).maxInflightMsgs(4)
                .maxSizePerMsgBytes(64), ids);
        Map<Long, Long> leaderOfTerm = new HashMap<>();
        for (int round = 0; round < 300; round++) {
            randomRound(net, rnd, ids);
            checkElectionSafety(net, leaderOfTerm);
            checkLeaderCompleteness(net);
        }
        net.heal();
        // Liveness: once healed, a leader every peer follows must emerge and commit a proposal.
        // Elections may take a few rounds (a stale candidate can win the timeout race and lose
        // the vote), and a proposal can be lost when leadership changes: then propose again.
        int proposedAt = -1;
        for (int round = 0; round < 500 && !allApplied(net, "final"); round++) {
            net.tickAll(1);
            long leader = followedLeader(net);
            if (leader != 0 && (proposedAt < 0 || round - proposedAt > 50)) {
                try {
                    net.node(leader).propose("final".getBytes());
                    proposedAt = round;
                } catch (ProposalDroppedException e) {
                    // A transfer or an uncommitted-size limit: next round.
                }
            }
        }
        assertThat(allApplied(net, "final")).as("every peer applied the final proposal (seed %d)", seed).isTrue();
    }

    /** The leader every peer agrees on, at the highest term; 0 if there is none yet. */
    private static long followedLeader(Network net) {
        long leader = -1;
        long term = -1;
        for (Network.Peer p : net.peers.values()) {
            long lead = p.raft().lead;
            if (leader == -1) {
                leader = lead;
                term = p.term();
            } else if (lead != leader || p.term() != term) {
                return 0;
            }
        }
        return leader <= 0 || net.peer(leader).state() != StateType.LEADER ? 0 : leader;
    }

    private static boolean allApplied(Network net, String data) {
        for (Network.Peer p : net.peers.values()) {
            boolean found = false;
            for (Entry e : p.applied.values()) {
                if (new String(e.data()).equals(data)) {
                    found = true;
                    break;
                }
            }
            if (!found) {
                return false;
            }
        }
        return true;
    }

    /**
     * One unit of time: every live node ticks, handles its Ready, and most messages in flight
     * are delivered in random order (some are dropped, some held back for later rounds).
     */
    private static void randomRound(Network net, SplittableRandom rnd, long[] ids) {
        for (long id : ids) {
            net.node(id).tick();
        }
        if (rnd.nextInt(3) == 0) {
            long id = ids[rnd.nextInt(ids.length)];
            try {
                net.node(id).propose(("p" + rnd.nextInt(1000)).getBytes());
            } catch (ProposalDroppedException e) {
                // No leader known, or a transfer in progress: fine.
            }
        }
        for (int pass = 0; pass < 3; pass++) {
            for (long id : ids) {
                net.processReady(id);
            }
            int n = net.inflight.size();
            for (int k = 0; k < n && !net.inflight.isEmpty(); k++) {
                Message m = net.inflight.remove(rnd.nextInt(net.inflight.size()));
                int fate = rnd.nextInt(20);
                if (fate == 0) {
                    continue; // lost
                }
                if (fate == 1) {
                    net.inflight.add(m); // delayed
                    continue;
                }
                net.deliver(m);
            }
        }
        int event = rnd.nextInt(100);
        if (event < 3) {
            net.heal();
            if (rnd.nextBoolean()) {
                net.isolate(ids[rnd.nextInt(ids.length)]);
            } else {
                net.cut(ids[rnd.nextInt(ids.length)], ids[rnd.nextInt(ids.length)]);
            }
        } else if (event < 6) {
            net.heal();
        } else if (event < 7) {
            net.restart(ids[rnd.nextInt(ids.length)]);
        }
    }

    /** §5.2 Election Safety: at most one leader per term, ever. */
    private static void checkElectionSafety(Network net, Map<Long, Long> leaderOfTerm) {
        for (Network.Peer p : net.peers.values()) {
            if (p.state() == StateType.LEADER) {
                Long previous = leaderOfTerm.putIfAbsent(p.term(), p.id);
                assertThat(previous == null || previous == p.id)
                        .as("two leaders in term %d: %s and %d", p.term(), previous, p.id).isTrue();
            }
        }
    }

    /** §5.4 Leader Completeness: a leader's log holds every entry anyone applied. */
    private static void checkLeaderCompleteness(Network net) {
        for (Network.Peer leader : net.peers.values()) {
            if (leader.state() != StateType.LEADER) {
                continue;
            }
            RaftLog log = leader.raft().log;
            for (Network.Peer p : net.peers.values()) {
                for (Entry e : p.applied.values()) {
                    if (e.index() < log.firstIndex() || e.index() > log.lastIndex()) {
                        continue;
                    }
                    // A leader of a term after the one the entry committed in must hold it.
                    if (leader.term() > p.appliedAtTerm.get(e.index())) {
                        assertThat(log.termOrZero(e.index())).as("leader %d misses applied entry %s", leader.id, e)
                                .isEqualTo(e.term());
                    }
                }
            }
        }
    }
}
