package io.etcdj.tests.differential;

import io.grpc.Status;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Optional;
import java.util.Set;

/**
 * One lockstep lease run: {@code ops} random lease operations from {@code seed}, each sent to
 * side A then side B as that side's own request (its own lease ids), both answers made canonical
 * and compared. The first difference stops the run and is reported with the seed and context.
 */
final class LeaseDifferentialRun {

    private static final int CONTEXT = 8;
    private static final Set<Status.Code> TRANSPORT_CODES = Set.of(Status.Code.UNAVAILABLE,
            Status.Code.DEADLINE_EXCEEDED, Status.Code.CANCELLED, Status.Code.UNKNOWN, Status.Code.INTERNAL);

    private final long seed;
    private final int ops;
    private final LeaseOutcomeComparator comparator;

    LeaseDifferentialRun(long seed, int ops, LeaseOutcomeComparator comparator) {
        this.seed = seed;
        this.ops = ops;
        this.comparator = comparator;
    }

    record Result(long seed, int compared, Optional<String> difference, OutcomeCounts counts) {
    }

    Result run(LeaseTarget targetA, LeaseTarget targetB) {
        LeaseSide a = new LeaseSide(targetA);
        LeaseSide b = new LeaseSide(targetB);
        LeaseOpGenerator generator = new LeaseOpGenerator(seed);
        Deque<String> recent = new ArrayDeque<>();
        OutcomeCounts counts = new OutcomeCounts();
        for (int i = 0; i < ops; i++) {
            LeaseOp op = generator.next();
            Outcome outcomeA = a.send(op);
            Outcome outcomeB = b.send(op);
            Outcome canonicalA = a.canonical(outcomeA);
            Outcome canonicalB = b.canonical(outcomeB);
            counts.add(a.request(op), outcomeA);
            String line = "#" + i + " " + op;
            Optional<String> difference = comparator.difference(canonicalA, canonicalB)
                    .or(() -> transportFailure(a, outcomeA)).or(() -> transportFailure(b, outcomeB));
            if (difference.isPresent()) {
                return new Result(seed, i + 1, Optional.of(report(i, difference.get(), recent, line, a, canonicalA,
                        b, canonicalB)), counts);
            }
            recent.addLast(line + "\n      -> " + canonicalA);
            if (recent.size() > CONTEXT) {
                recent.removeFirst();
            }
            generator.observe(op, outcomeA);
        }
        return new Result(seed, ops, Optional.empty(), counts);
    }

    private static Optional<String> transportFailure(LeaseSide side, Outcome outcome) {
        if (outcome.isError() && TRANSPORT_CODES.contains(outcome.code())) {
            return Optional.of(side.name() + " failed at the transport level: " + outcome);
        }
        return Optional.empty();
    }

    private String report(int index, String difference, Deque<String> recent, String line, LeaseSide a,
            Outcome outcomeA, LeaseSide b, Outcome outcomeB) {
        StringBuilder report = new StringBuilder();
        report.append("seed ").append(seed).append(": ").append(a.name()).append(" and ").append(b.name())
                .append(" differ at lease op #").append(index).append(": ").append(difference)
                .append("\nreplay: -Ddiff.seed=").append(seed).append(" -Ddiff.leaseOps=").append(ops)
                .append("\n(lease ids are canonical: ").append(LeaseSide.CANONICAL_BASE)
                .append(" - n is lease#n)\nlast ").append(recent.size()).append(" equal exchanges:\n");
        recent.forEach(r -> report.append("  ").append(r).append('\n'));
        report.append("  ").append(line).append('\n')
                .append("      ").append(a.name()).append(": ").append(outcomeA).append('\n')
                .append("      ").append(b.name()).append(": ").append(outcomeB).append('\n');
        return report.toString();
    }
}
