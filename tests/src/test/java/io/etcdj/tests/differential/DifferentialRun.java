package io.etcdj.tests.differential;

import com.google.protobuf.Message;
import io.etcdj.api.etcdserverpb.RangeRequest;
import io.grpc.Status;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * One lockstep run: {@code requests} random requests from {@code seed}, each sent to target A then
 * target B and compared; then a sweep that reads the whole key space at every revision still
 * readable, so the two MVCC histories are compared, not just the answers along the way.
 */
public final class DifferentialRun {

    /** How many preceding exchanges a report shows, so a difference can be read in context. */
    private static final int CONTEXT = 8;
    /** Bounds the sweep; with a few hundred requests the history is shorter than this. */
    private static final int MAX_SWEEP_REVISIONS = 1_000;
    /** A restarted server replays its WAL; generous, as two cores are shared. */
    private static final long READY_TIMEOUT_SECONDS = 60;

    private final long seed;
    private final int requests;
    private final int restarts;
    private final OutcomeComparator comparator;

    /**
     * {@code restarts}: how many times during the run both servers are killed (SIGKILL) and
     * restarted on their data dirs, at points drawn from the seed; 0 for none.
     */
    public DifferentialRun(long seed, int requests, int restarts, OutcomeComparator comparator) {
        this.seed = seed;
        this.requests = requests;
        this.restarts = restarts;
        this.comparator = comparator;
    }

    /** What a run found: the number of exchanges compared and the first difference, if any. */
    public record Result(long seed, int compared, Optional<String> difference, OutcomeCounts counts) {

        public boolean equal() {
            return difference.isEmpty();
        }
    }

    public Result run(KvTarget a, KvTarget b) {
        KvRequestGenerator generator = new KvRequestGenerator(seed);
        Deque<String> recent = new ArrayDeque<>();
        OutcomeCounts counts = new OutcomeCounts();
        int compared = 0;
        Set<Integer> restartPoints = restartPoints();
        for (int i = 0; i < requests; i++) {
            if (restartPoints.contains(i)) {
                restartBoth(a, b);
                counts.restarted();
                recent.addLast("-- both servers killed (SIGKILL) and restarted before #" + i + " --");
            }
            Message request = generator.next();
            Step step = exchange(i, request, a, b, recent, counts);
            compared++;
            if (step.difference().isPresent()) {
                return new Result(seed, compared, step.difference(), counts);
            }
            generator.observe(request, step.outcomeA());
        }
        long from = Math.max(1, generator.compactRevision() - 1);
        long to = Math.min(generator.headRevision() + 1, from + MAX_SWEEP_REVISIONS);
        for (long revision = from; revision <= to; revision++) {
            RangeRequest request = KvRequestGenerator.everythingAt(revision);
            Step step = exchange(requests + (int) (revision - from), request, a, b, recent, counts);
            compared++;
            if (step.difference().isPresent()) {
                return new Result(seed, compared, step.difference(), counts);
            }
        }
        return new Result(seed, compared, Optional.empty(), counts);
    }

    /**
     * A dead or hung server answers every request with the same transport error; two of them
     * would compare equal and hide that nothing was tested. A single healthy member never gives
     * these, so any is a failure of the run.
     */
    private static Optional<String> transportFailure(KvTarget target, Outcome outcome) {
        if (outcome.isError() && TRANSPORT_CODES.contains(outcome.code())) {
            return Optional.of(target.name() + " failed at the transport level: " + outcome);
        }
        return Optional.empty();
    }

    private static final Set<Status.Code> TRANSPORT_CODES = Set.of(Status.Code.UNAVAILABLE,
            Status.Code.DEADLINE_EXCEEDED, Status.Code.CANCELLED, Status.Code.UNKNOWN, Status.Code.INTERNAL);

    /**
     * Evenly spread, jittered request indices. A random stream of its own, so the requests of a
     * seed are the same with or without restarts.
     */
    private Set<Integer> restartPoints() {
        SplittableRandom random = new SplittableRandom(seed ^ 0x5EED_0F_C2A5L);
        Set<Integer> points = new TreeSet<>();
        int spacing = requests / (restarts + 1);
        for (int r = 1; r <= restarts && spacing > 1; r++) {
            points.add(r * spacing + random.nextInt(spacing / 2) - spacing / 4);
        }
        return points;
    }

    private static void restartBoth(KvTarget a, KvTarget b) {
        for (KvTarget target : List.of(a, b)) {
            target.killAndRestart();
            awaitServing(target);
        }
    }

    /** A restarted member may answer "no leader" or refuse connections for a moment. */
    private static void awaitServing(KvTarget target) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(READY_TIMEOUT_SECONDS);
        Outcome probe = target.call(KvRequestGenerator.everythingAt(0));
        while (transportFailure(target, probe).isPresent() && System.nanoTime() < deadline) {
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(200));
            probe = target.call(KvRequestGenerator.everythingAt(0));
        }
        if (transportFailure(target, probe).isPresent()) {
            throw new AssertionError(target.name() + " did not serve within " + READY_TIMEOUT_SECONDS
                    + " s of its restart: " + probe);
        }
    }

    /** One request's answer from A (what the generator learns from) and the difference, if any. */
    private record Step(Outcome outcomeA, Optional<String> difference) {
    }

    private Step exchange(int index, Message request, KvTarget a, KvTarget b, Deque<String> recent,
            OutcomeCounts counts) {
        Outcome outcomeA = a.call(request);
        Outcome outcomeB = b.call(request);
        counts.add(request, outcomeA);
        String line = "#" + index + " " + request.getClass().getSimpleName() + " " + Printing.text(request);
        Optional<String> difference = comparator.difference(outcomeA, outcomeB)
                .or(() -> transportFailure(a, outcomeA).or(() -> transportFailure(b, outcomeB)));
        if (difference.isEmpty()) {
            recent.addLast(line + "\n      -> " + outcomeA);
            if (recent.size() > CONTEXT) {
                recent.removeFirst();
            }
            return new Step(outcomeA, Optional.empty());
        }
        StringBuilder report = new StringBuilder();
        report.append("seed ").append(seed).append(": ").append(a.name()).append(" and ").append(b.name())
                .append(" differ at request #").append(index).append(": ").append(difference.get())
                .append("\nreplay: -Ddiff.seed=").append(seed).append(" -Ddiff.requests=").append(requests)
                .append("\nlast ").append(recent.size()).append(" equal exchanges:\n");
        recent.forEach(r -> report.append("  ").append(r).append('\n'));
        report.append("  ").append(line).append('\n')
                .append("      ").append(a.name()).append(": ").append(outcomeA).append('\n')
                .append("      ").append(b.name()).append(": ").append(outcomeB).append('\n');
        return new Step(outcomeA, Optional.of(report.toString()));
    }
}
