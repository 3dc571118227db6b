package io.etcdj.raft.simulation;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The seeded simulation in CI: {@code raft.sim.seeds} seeds (default 300) from
 * {@code raft.sim.firstSeed} (default 1), odd seeds five voters, even seeds three.
 * {@code -Draft.sim.seed=N} runs and reports only seed N.
 */
class SimulationTest {

    @Test
    void everySeedKeepsRaftSafeAndLiveAfterHealing() {
        String only = System.getProperty("raft.sim.seed");
        long first = only != null ? Long.parseLong(only) : Long.getLong("raft.sim.firstSeed", 1);
        long count = only != null ? 1 : Long.getLong("raft.sim.seeds", 300);
        Coverage coverage = new Coverage();
        List<String> failures = new ArrayList<>();
        long ticks = 0;
        long commits = 0;
        for (long seed = first; seed < first + count; seed++) {
            Simulation.Outcome outcome = Simulation.forSeed(seed).run();
            ticks += outcome.ticks();
            commits += outcome.committed();
            coverage.add(outcome.coverage());
            if (only != null) {
                System.out.println(SeedReport.summary(outcome));
            }
            if (!outcome.ok()) {
                failures.add(SeedReport.describe(outcome));
            }
        }
        System.out.printf("raft simulation: %d seeds from %d, %d ticks, %d committed entries, %d violations%n  %s%n",
                count, first, ticks, commits, failures.size(), coverage);
        assertThat(failures).as("seeds with violations").isEmpty();
        if (count >= 100) {
            assertThat(coverage.counts()).as("every fault and feature exercised: " + coverage).doesNotContain(0L);
        }
    }

    @Test
    void aSeedReplaysExactly() {
        Simulation.Outcome a = Simulation.forSeed(7).run();
        Simulation.Outcome b = Simulation.forSeed(7).run();
        assertThat(b).usingRecursiveComparison().ignoringFields("violation").isEqualTo(a);
    }
}
