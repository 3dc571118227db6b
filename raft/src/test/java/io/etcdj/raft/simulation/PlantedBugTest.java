package io.etcdj.raft.simulation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import java.util.SplittableRandom;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Negative controls for the whole simulation: each planted bug must be caught as a safety
 * violation within a bounded number of seeds. The runs use the seed's own fault profile with
 * crashes made frequent enough for durability bugs to matter.
 */
class PlantedBugTest {

    private static final int MAX_SEEDS = 300;

    static Simulation.Options plantedOptions(long seed, PlantedBug bug, boolean durabilityChecks) {
        FaultProfile profile = FaultProfile.draw(new SplittableRandom(seed)).withCrashesAtLeast(0.02, 0.02);
        return Simulation.Options.of((seed & 1) == 1 ? 5 : 3).withBug(bug).withProfile(profile)
                .withDurabilityChecks(durabilityChecks);
    }

    @ParameterizedTest
    @EnumSource(value = PlantedBug.class, names = {"FORGET_VOTE", "DOUBLE_COUNT_VOTE", "ACK_BEFORE_PERSIST"})
    void plantedBugIsCaughtByRaftsOwnProperties(PlantedBug bug) {
        caught(bug, false);
    }

    @ParameterizedTest
    @EnumSource(value = PlantedBug.class, names = {"FORGET_VOTE", "ACK_BEFORE_PERSIST"})
    void durabilityBugIsCaughtOnTheMessageThatDependsOnIt(PlantedBug bug) {
        caught(bug, true);
    }

    /**
     * Runs seeds until the harness's own checks (not raft's internal assertions, not liveness)
     * report a violation; prints that seed and the first seed caught by anything at all.
     */
    private static void caught(PlantedBug bug, boolean durabilityChecks) {
        long started = System.nanoTime();
        long ticks = 0;
        String firstOfAnyKind = null;
        for (long seed = 1; seed <= MAX_SEEDS; seed++) {
            Simulation.Outcome outcome = new Simulation(seed, plantedOptions(seed, bug, durabilityChecks)).run();
            ticks += outcome.ticks();
            if (outcome.ok()) {
                continue;
            }
            String message = outcome.violation().getMessage();
            if (firstOfAnyKind == null) {
                firstOfAnyKind = "seed " + seed + " at tick " + outcome.ticks() + ": " + message;
            }
            if (!message.startsWith("Exception") && !message.startsWith("Liveness")) {
                System.out.printf("planted %s (durability checks %s) caught by seed %d at its tick %d: %d seeds,"
                        + " %d ticks in all, %.2f s: %s%n  first seed caught by anything: %s%n", bug,
                        durabilityChecks ? "on" : "off", seed, outcome.ticks(), seed, ticks,
                        (System.nanoTime() - started) / 1e9, message, firstOfAnyKind);
                return;
            }
        }
        fail("planted " + bug + " not caught by a safety check in " + MAX_SEEDS + " seeds; first caught by anything: "
                + firstOfAnyKind);
    }

    @ParameterizedTest
    @EnumSource(value = PlantedBug.class, names = {"NONE"})
    void withoutAPlantedBugTheSameRunsAreClean(PlantedBug none) {
        for (long seed = 1; seed <= 40; seed++) {
            Simulation.Outcome outcome = new Simulation(seed, plantedOptions(seed, none, true)).run();
            assertThat(outcome.ok()).as(() -> SeedReport.describe(outcome)).isTrue();
        }
    }
}
