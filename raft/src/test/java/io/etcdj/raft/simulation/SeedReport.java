package io.etcdj.raft.simulation;

import java.io.PrintWriter;
import java.io.StringWriter;

/** How a failed seed is reported: what broke, the fault profile, and how to replay it. */
final class SeedReport {

    private SeedReport() {
    }

    static String describe(Simulation.Outcome o) {
        StringWriter trace = new StringWriter();
        if (o.violation() != null && o.violation().getCause() != null) {
            o.violation().getCause().printStackTrace(new PrintWriter(trace));
        }
        return "seed " + o.seed() + " violated " + (o.violation() == null ? "nothing" : o.violation().getMessage())
                + "\n  at tick " + o.ticks() + " after " + o.readies() + " Readies, " + o.messages() + " messages, "
                + o.proposals() + " proposals; profile " + o.profile()
                + "\n  replay: ./mvnw -B -q -o -pl raft test -Dtest=SimulationTest -Draft.sim.seed=" + o.seed()
                + (trace.getBuffer().isEmpty() ? "" : "\n" + trace);
    }

    static String summary(Simulation.Outcome o) {
        return "seed " + o.seed() + ": " + (o.ok() ? "ok" : "VIOLATION") + ", " + o.ticks() + " ticks, "
                + o.readies() + " Readies, " + o.messages() + " messages, " + o.proposals() + " proposals, commit index "
                + o.committed() + ", " + o.checks() + " checks; " + o.coverage();
    }
}
