package io.etcdj.tests.differential;

import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.LongStream;

/**
 * How big a differential run is, from system properties (Maven passes {@code -D} through):
 * {@code -Ddiff.seed=N} replays one seed; {@code -Ddiff.seeds=K} runs K fresh random seeds instead
 * of the fixed CI seeds; {@code -Ddiff.requests=M} sets requests per seed; {@code -Ddiff.restarts=R}
 * how often both servers are killed and restarted during a seed.
 */
final class DifferentialSettings {

    /**
     * Fixed, so CI is repeatable; fresh seeds are one property away. Two seeds, as each one starts
     * (and restarts) a JVM for etcdj, which dominates the cost.
     */
    private static final List<Long> CI_SEEDS = List.of(1L, 2L);
    private static final int CI_REQUESTS = 400;
    /** A bound even for hand-run soaks: the run is lockstep and each write is fsynced twice. */
    private static final int MAX_REQUESTS = 100_000;
    /** Small, so the reference takes several snapshots during one run. */
    static final long SNAPSHOT_COUNT = 50;

    private DifferentialSettings() {
    }

    static List<Long> seeds() {
        String seed = System.getProperty("diff.seed");
        if (seed != null && !seed.isBlank()) {
            return List.of(Long.parseLong(seed.trim()));
        }
        String count = System.getProperty("diff.seeds");
        if (count != null && !count.isBlank()) {
            SplittableRandom fresh = new SplittableRandom();
            return LongStream.range(0, Math.min(1_000, Integer.parseInt(count.trim())))
                    .map(i -> fresh.nextLong() & Long.MAX_VALUE).boxed().toList();
        }
        return CI_SEEDS;
    }

    /** Kill -9 and restart of both servers per seed ({@code -Ddiff.restarts}); CI: one. */
    static int restarts() {
        return Math.min(100, Integer.getInteger("diff.restarts", 1));
    }

    static int requests() {
        return Math.min(MAX_REQUESTS, Integer.getInteger("diff.requests", CI_REQUESTS));
    }
}
