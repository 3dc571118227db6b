package io.etcdj.raft.simulation;

import io.etcdj.raft.ConfChange;
import io.etcdj.raft.ConfChangeI;
import io.etcdj.raft.ConfChangeSingle;
import io.etcdj.raft.ConfChangeTransition;
import io.etcdj.raft.ConfChangeType;
import io.etcdj.raft.ConfChangeV2;
import io.etcdj.raft.ConfState;
import io.etcdj.raft.ProposalDroppedException;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * The faults of the chaos phase, drawn each tick from the run's {@link FaultProfile}: partitions
 * of five shapes, heals, crashes and restarts, membership changes proposed to the leader, and
 * leadership transfers.
 */
final class Nemesis {

    private static final int MAX_VOTERS = 5;
    private static final int MAX_MEMBERS = 6;

    private final Simulation sim;
    private final SplittableRandom random;

    Nemesis(Simulation sim, SplittableRandom random) {
        this.sim = sim;
        this.random = random;
    }

    void act(FaultProfile p) {
        if (chance(p.partitionRate())) {
            sim.coverage().partitions++;
            partition();
        }
        if (chance(p.healRate())) {
            sim.network().partitions().heal();
        }
        if (chance(p.crashRate())) {
            SimNode victim = sim.randomUpNode();
            if (victim != null) {
                victim.crash();
            }
        }
        if (chance(p.restartRate())) {
            List<SimNode> down = new ArrayList<>();
            for (SimNode node : sim.nodes().values()) {
                if (!node.isUp() && !node.isRemoved()) {
                    down.add(node);
                }
            }
            if (!down.isEmpty()) {
                down.get(random.nextInt(down.size())).start(sim);
            }
        }
        if (chance(p.confChangeRate())) {
            changeMembership();
        }
        if (chance(p.transferRate())) {
            transferLeadership();
        }
    }

    /** Asks the leader to hand over to a random voter (possibly a lagging or unreachable one). */
    private void transferLeadership() {
        SimNode leader = sim.leader();
        List<Long> voters = sim.clusterConf().voters();
        if (leader != null && !voters.isEmpty()) {
            sim.coverage().transfers++;
            leader.raft().transferLeadership(pick(voters));
        }
    }

    private void partition() {
        List<Long> ids = new ArrayList<>();
        for (SimNode node : sim.nodes().values()) {
            if (!node.isRemoved()) {
                ids.add(node.id());
            }
        }
        Partitions cut = sim.network().partitions();
        SimNode leaderNode = sim.leader();
        long leader = leaderNode != null ? leaderNode.id() : pick(ids);
        long other = pick(ids);
        switch (random.nextInt(5)) {
            case 0 -> cut.isolate(pick(ids), ids);
            case 1 -> cut.isolate(leader, ids);
            case 2 -> cut.cutOneWay(leader, other);
            case 3 -> cut.cutBoth(leader, other);
            default -> {
                List<Long> side = new ArrayList<>(sim.shuffled(new ArrayList<>(ids)).subList(0, (ids.size() - 1) / 2));
                cut.split(side, ids);
            }
        }
    }

    private void changeMembership() {
        SimNode leader = sim.leader();
        if (leader == null) {
            return;
        }
        ConfState cs = sim.clusterConf();
        ConfChangeI change = cs.votersOutgoing().isEmpty() ? pickChange(cs) : leaveJoint(cs);
        if (change == null) {
            return;
        }
        try {
            leader.raft().proposeConfChange(change);
        } catch (ProposalDroppedException expected) {
            // Another change pending or leadership moving: raft refuses, the operator retries.
        }
    }

    private ConfChangeI leaveJoint(ConfState cs) {
        return cs.autoLeave() ? null : ConfChangeV2.LEAVE_JOINT;
    }

    private ConfChangeI pickChange(ConfState cs) {
        List<Long> voters = cs.voters();
        List<Long> learners = cs.learners();
        boolean room = voters.size() + learners.size() < MAX_MEMBERS;
        switch (random.nextInt(6)) {
            case 0:
                return room ? single(ConfChangeType.ADD_LEARNER_NODE, sim.allocateNodeId()) : null;
            case 1:
                return !learners.isEmpty() && voters.size() < MAX_VOTERS
                        ? single(ConfChangeType.ADD_NODE, pick(learners)) : null;
            case 2:
                return voters.size() > 3 ? single(ConfChangeType.REMOVE_NODE, pick(voters)) : null;
            case 3:
                return !learners.isEmpty() ? single(ConfChangeType.REMOVE_NODE, pick(learners)) : null;
            case 4:
                if (learners.isEmpty()) {
                    return null;
                }
                // Replace a voter by a learner through a joint configuration.
                return joint(List.of(new ConfChangeSingle(ConfChangeType.ADD_NODE, pick(learners)),
                        new ConfChangeSingle(ConfChangeType.REMOVE_NODE, pick(voters))));
            default:
                if (!room || learners.isEmpty() || voters.size() >= MAX_VOTERS) {
                    return null;
                }
                return joint(List.of(new ConfChangeSingle(ConfChangeType.ADD_LEARNER_NODE, sim.allocateNodeId()),
                        new ConfChangeSingle(ConfChangeType.ADD_NODE, pick(learners))));
        }
    }

    private ConfChangeI single(ConfChangeType type, long node) {
        if (random.nextBoolean()) {
            return new ConfChange(type, node, new byte[0]);
        }
        return new ConfChangeV2(ConfChangeTransition.AUTO, List.of(new ConfChangeSingle(type, node)), new byte[0]);
    }

    private ConfChangeI joint(List<ConfChangeSingle> changes) {
        ConfChangeTransition[] transitions = ConfChangeTransition.values();
        return new ConfChangeV2(transitions[random.nextInt(transitions.length)], changes, new byte[0]);
    }

    private long pick(List<Long> ids) {
        return ids.get(random.nextInt(ids.size()));
    }

    private boolean chance(double p) {
        return p > 0 && random.nextDouble() < p;
    }
}
