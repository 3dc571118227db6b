package io.etcdj.raft.simulation;

import java.util.SplittableRandom;

/**
 * The fault rates of one run, drawn from its seed (swarm testing: some seeds are calm, some lose
 * a fifth of all messages, some crash every few hundred ticks), so the seed space covers mixes
 * no hand-picked profile would. Rates are per tick unless named otherwise. {@code maxMsgBytes}
 * is raft's {@code maxSizePerMsgBytes} (0: one entry per append), part of the draw because
 * small appends split what a leader sends and so widen the space of partial replication.
 */
record FaultProfile(
        SimNetwork.Faults network,
        double partitionRate,
        double healRate,
        double crashRate,
        double restartRate,
        double readyCrashRate,
        double proposalsPerTick,
        double confChangeRate,
        double transferRate,
        int compactAfterEntries,
        long maxMsgBytes) {

    static FaultProfile draw(SplittableRandom random) {
        return new FaultProfile(
                new SimNetwork.Faults(
                        pick(random, 0, 0.01, 0.05, 0.2),
                        pick(random, 0, 0.02, 0.1),
                        (int) pick(random, 0, 1, 3)),
                pick(random, 0, 0.005, 0.02, 0.05),
                pick(random, 0.02, 0.05, 0.2),
                pick(random, 0, 0.002, 0.01, 0.03),
                pick(random, 0.02, 0.05, 0.2),
                pick(random, 0, 0.001, 0.005, 0.02),
                pick(random, 0.1, 0.5, 2),
                pick(random, 0, 0.005, 0.02, 0.05),
                pick(random, 0, 0.005, 0.02),
                (int) pick(random, 0, 3, 8, 32),
                (long) pick(random, 0, 64, 1 << 20));
    }

    /** The profile of the liveness phase: no faults, every message arrives, in order. */
    FaultProfile healed() {
        return new FaultProfile(SimNetwork.Faults.NONE, 0, 1, 0, 1, 0, 0, 0, 0, compactAfterEntries, maxMsgBytes);
    }

    /** Same rates, with crashes (including inside a Ready) at least as frequent as given. */
    FaultProfile withCrashesAtLeast(double perTick, double perReady) {
        return new FaultProfile(network, partitionRate, healRate, Math.max(crashRate, perTick),
                Math.max(restartRate, 0.05), Math.max(readyCrashRate, perReady), proposalsPerTick,
                confChangeRate, transferRate, compactAfterEntries, maxMsgBytes);
    }

    private static double pick(SplittableRandom random, double... choices) {
        return choices[random.nextInt(choices.length)];
    }
}
