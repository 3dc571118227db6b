package io.etcdj.raft.simulation;

/**
 * The soak entry point behind scripts/raft-soak.sh: {@code SoakMain N [firstSeed]} runs N seeds
 * and ends with the line {@code N seeds, V violations}; exit status 1 if V > 0.
 */
public final class SoakMain {

    private SoakMain() {
    }

    public static void main(String[] args) {
        long count = args.length > 0 ? Long.parseLong(args[0]) : 1000;
        long first = args.length > 1 ? Long.parseLong(args[1]) : 1;
        long violations = 0;
        long ticks = 0;
        long started = System.nanoTime();
        for (long seed = first; seed < first + count; seed++) {
            Simulation.Outcome outcome = Simulation.forSeed(seed).run();
            ticks += outcome.ticks();
            if (!outcome.ok()) {
                violations++;
                System.out.println(SeedReport.describe(outcome));
            }
            if ((seed - first + 1) % 1000 == 0) {
                System.out.printf("... %d seeds, %d violations, %d ticks, %.1f s%n", seed - first + 1, violations,
                        ticks, (System.nanoTime() - started) / 1e9);
            }
        }
        System.out.printf("seeds %d..%d, %d ticks, %.1f s%n", first, first + count - 1, ticks,
                (System.nanoTime() - started) / 1e9);
        System.out.println(count + " seeds, " + violations + " violations");
        System.exit(violations == 0 ? 0 : 1);
    }
}
