package io.etcdj.tests.differential;

import com.google.protobuf.ByteString;
import com.google.protobuf.Message;
import io.etcdj.api.etcdserverpb.TxnRequest;
import io.etcdj.api.etcdserverpb.WatchCreateRequest;
import io.etcdj.api.etcdserverpb.WatchResponse;
import io.grpc.Status;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.TreeMap;

/**
 * One lockstep watch run: a seeded sequence of writes (puts, range deletes, multi-op txns),
 * compactions and watch operations (create with a random key, prefix or range, start revision in
 * the past, now, the future or below the compaction point, prev_kv, NOPUT/NODELETE, explicit and
 * duplicate ids; cancel; progress request) is applied to two servers that both started empty, so
 * their revisions line up; afterwards every stream's log is compared by {@link WatchStreamComparator}.
 *
 * <p>Lockstep points: a watch operation waits for its answer on both sides before the next step,
 * and before a cancel or a compaction both sides are brought level (every watcher has received
 * what its server's own recorder says it must), so what a watcher received before it was cancelled,
 * and which prev_kv a compaction can still serve, do not depend on timing.
 *
 * <p>Not generated, because etcd itself is no oracle there (docs/testing.md, "watch differential"):
 * a start revision equal to the compaction point (etcd reads those events from the backend while
 * its non-physical compaction may still be deleting them); a negative start revision (3.4 answers
 * it with a bare response that is neither a cancel nor events); a progress request on a stream with
 * no watcher (3.4 answers, 3.6 stays silent) or with a watcher the server cancelled for compaction
 * that the client has not cancelled yet (3.4 answers, 3.6 defers until the client cancels it).
 * A txn refused by both servers with different errors because 3.4 checks puts before ranges and
 * 3.6 checks ops in order is accepted ({@link #txnCheckOrder}).
 */
final class WatchDifferentialRun {

    private static final int STREAMS = 3;
    private static final int CONTEXT = 14;
    /** A dead or hung server answers with these; two of them must not "agree". */
    private static final Set<Status.Code> TRANSPORT_CODES = Set.of(Status.Code.UNAVAILABLE,
            Status.Code.DEADLINE_EXCEEDED, Status.Code.CANCELLED, Status.Code.UNKNOWN, Status.Code.INTERNAL);

    private final long seed;
    private final int steps;

    WatchDifferentialRun(long seed, int steps) {
        this.seed = seed;
        this.steps = steps;
    }

    /** What a run found; {@code counts} says what it exercised (from side A's logs). */
    record Result(long seed, Optional<String> difference, TreeMap<String, Long> counts) {
    }

    static int streams() {
        return STREAMS;
    }

    Result run(WatchSide a, WatchSide b) {
        KvRequestGenerator kv = new KvRequestGenerator(seed);
        SplittableRandom random = new SplittableRandom(seed ^ 0x3A7C_4E5DL);
        KeySpace keys = new KeySpace(random);
        Deque<String> log = new ArrayDeque<>();
        TreeMap<String, Long> counts = new TreeMap<>();
        a.startRecorder();
        b.startRecorder();
        for (int i = 0; i < steps; i++) {
            int kind = random.nextInt(100);
            Optional<String> difference;
            if (kind < 22) {
                difference = write(i, kv.put(), kv, a, b, log);
            } else if (kind < 30) {
                difference = write(i, kv.deleteRange(), kv, a, b, log);
            } else if (kind < 45) {
                difference = write(i, kv.txn(), kv, a, b, log);
            } else if (kind < 50) {
                difference = level(a, b, kv.compactRevision());
                if (difference.isEmpty()) {
                    difference = write(i, kv.compact(), kv, a, b, log);
                }
            } else if (kind < 72) {
                difference = create(i, random, keys, kv, a, b, log);
            } else if (kind < 82) {
                difference = cancel(i, random, kv, a, b, log);
            } else if (kind < 92) {
                difference = progress(i, random, a, b, log);
            } else {
                note(log, "#" + i + " level");
                difference = level(a, b, kv.compactRevision());
            }
            count(counts, "step " + (kind < 45 ? "write" : kind < 50 ? "compact" : kind < 72 ? "create"
                    : kind < 82 ? "cancel" : kind < 92 ? "progress" : "level"));
            if (difference.isPresent()) {
                return new Result(seed, Optional.of(report(difference.get(), a, b, log)), counts);
            }
        }
        Optional<String> difference = level(a, b, kv.compactRevision());
        if (difference.isEmpty()) {
            difference = compareStreams(a, b, counts);
        }
        return new Result(seed, difference.map(d -> report(d, a, b, log)), counts);
    }

    private static Optional<String> write(int index, Message request, KvRequestGenerator kv, WatchSide a,
            WatchSide b, Deque<String> log) {
        Outcome outcomeA = a.kv().call(request);
        Outcome outcomeB = b.kv().call(request);
        a.observe(outcomeA);
        b.observe(outcomeB);
        kv.observe(request, outcomeA);
        note(log, "#" + index + " " + request.getClass().getSimpleName() + " " + Printing.text(request) + " -> "
                + (outcomeA.isError() ? outcomeA : "rev " + a.head()));
        Optional<String> d = new OutcomeComparator().difference(outcomeA, outcomeB);
        if (d.isPresent() && txnCheckOrder(request, outcomeA, outcomeB)) {
            note(log, "   (3.4 checks a txn's puts before its ranges, 3.6 in op order: " + outcomeB + ")");
            return Optional.empty(); // refused on both sides, so the histories stay the same
        }
        if (d.isEmpty() && outcomeA.isError() && TRANSPORT_CODES.contains(outcomeA.code())) {
            d = Optional.of("transport-level failure on both sides: " + outcomeA);
        }
        return d.map(text -> "KV answers differ: " + text + "\n      A: " + outcomeA + "\n      B: " + outcomeB);
    }

    /**
     * etcd 3.4 checks every put of a txn before any range, 3.6 checks the ops in order (docs/kv.md):
     * a txn with both a bad range and a bad put is refused by both, with different errors.
     */
    private static boolean txnCheckOrder(Message request, Outcome a, Outcome b) {
        Set<String> checks = Set.of("etcdserver: key not found", "etcdserver: requested lease not found",
                "etcdserver: mvcc: required revision is a future revision",
                "etcdserver: mvcc: required revision has been compacted");
        return request instanceof TxnRequest && a.isError() && b.isError()
                && checks.contains(a.errorMessage()) && checks.contains(b.errorMessage());
    }

    private Optional<String> create(int index, SplittableRandom random, KeySpace keys, KvRequestGenerator kv,
            WatchSide a, WatchSide b, Deque<String> log) {
        int stream = random.nextInt(STREAMS);
        ByteString[] range = keys.range();
        WatchCreateRequest.Builder request = WatchCreateRequest.newBuilder().setKey(range[0]).setRangeEnd(range[1])
                .setStartRevision(startRevision(random, kv)).setPrevKv(random.nextBoolean())
                .setProgressNotify(random.nextInt(5) == 0).setFragment(random.nextInt(5) == 0);
        switch (random.nextInt(6)) {
            case 0 -> request.addFilters(WatchCreateRequest.FilterType.NOPUT);
            case 1 -> request.addFilters(WatchCreateRequest.FilterType.NODELETE);
            case 2 -> request.addFilters(WatchCreateRequest.FilterType.NOPUT)
                    .addFilters(WatchCreateRequest.FilterType.NODELETE);
            default -> { }
        }
        if (random.nextInt(5) == 0) {
            request.setWatchId(1 + random.nextInt(6)); // may collide with an id in use: refused
        }
        WatchResponse answerA = a.streams().get(stream).create(request.build());
        WatchResponse answerB = b.streams().get(stream).create(request.build());
        note(log, "#" + index + " stream " + stream + " create " + Printing.text(request.build()) + " -> "
                + (answerA == null ? "no answer" : Printing.text(answerA)));
        Optional<String> created = answered("created response", answerA != null, answerB != null);
        long start = request.getStartRevision();
        if (created.isPresent() || answerA.getCanceled() || start <= 0 || start >= kv.compactRevision()) {
            return created;
        }
        // Below the compaction point: wait for the cancel too, so the next steps know of it.
        boolean canceledA = WatchSide.waitFor(() -> a.streams().get(stream).isCanceled(answerA.getWatchId()));
        boolean canceledB = WatchSide.waitFor(() -> b.streams().get(stream).isCanceled(answerB.getWatchId()));
        return answered("compaction cancel", canceledA, canceledB);
    }

    /** 0 (now) often; else the past, the head, the future, or below the compaction point. */
    private static long startRevision(SplittableRandom random, KvRequestGenerator kv) {
        long head = kv.headRevision();
        long compact = kv.compactRevision();
        int choice = random.nextInt(20);
        if (choice < 8) {
            return 0;
        } else if (choice < 12) {
            return compact + 1 + random.nextLong(Math.max(1, head - compact));
        } else if (choice < 14) {
            return head;
        } else if (choice < 17) {
            return head + 1 + random.nextInt(3);
        } else if (compact > 1) {
            return 1 + random.nextLong(compact - 1);
        }
        return 0;
    }

    private Optional<String> cancel(int index, SplittableRandom random, KvRequestGenerator kv, WatchSide a,
            WatchSide b, Deque<String> log) {
        int stream = random.nextInt(STREAMS);
        List<Long> ids = a.streams().get(stream).watchIds();
        if (ids.isEmpty()) {
            return Optional.empty();
        }
        long id = ids.get(random.nextInt(ids.size()));
        Optional<String> level = level(a, b, kv.compactRevision());
        if (level.isPresent()) {
            return level;
        }
        boolean answeredA = a.streams().get(stream).cancel(id);
        boolean answeredB = b.streams().get(stream).cancel(id);
        note(log, "#" + index + " stream " + stream + " cancel " + id + " -> " + (answeredA ? "canceled" : "no answer"));
        return answered("canceled response to cancel " + id, answeredA, answeredB);
    }

    private Optional<String> progress(int index, SplittableRandom random, WatchSide a, WatchSide b,
            Deque<String> log) {
        int stream = random.nextInt(STREAMS);
        WatchSide.Stream s = a.streams().get(stream);
        if (s.watchIds().isEmpty() || s.hasServerCanceled()) {
            return Optional.empty(); // 3.4 and 3.6 legitimately differ here (class comment)
        }
        boolean answeredA = s.requestProgress();
        boolean answeredB = b.streams().get(stream).requestProgress();
        note(log, "#" + index + " stream " + stream + " progress request -> "
                + (answeredA ? "answered" : "no answer"));
        return answered("progress response", answeredA, answeredB);
    }

    private static Optional<String> answered(String what, boolean a, boolean b) {
        if (a && b) {
            return Optional.empty();
        }
        return Optional.of(what + " within " + WatchSide.WAIT_SECONDS + " s: A " + (a ? "yes" : "no") + ", B "
                + (b ? "yes" : "no"));
    }

    private static Optional<String> level(WatchSide a, WatchSide b, long compactRevision) {
        for (WatchSide side : List.of(a, b)) {
            String missing = side.awaitLevel(compactRevision);
            if (!missing.isEmpty()) {
                return Optional.of("not level: " + missing);
            }
        }
        return Optional.empty();
    }

    private static Optional<String> compareStreams(WatchSide a, WatchSide b, TreeMap<String, Long> counts) {
        WatchStreamComparator comparator = new WatchStreamComparator();
        for (int i = 0; i < a.streams().size(); i++) {
            WatchSide.Stream sa = a.streams().get(i);
            WatchSide.Stream sb = b.streams().get(i);
            WatchStreamComparator.Normalised na = WatchStreamComparator.normalise(sa.received(), sa.error());
            WatchStreamComparator.Normalised nb = WatchStreamComparator.normalise(sb.received(), sb.error());
            String stream = i == a.streams().size() - 1 ? "recorder stream" : "stream " + i;
            Optional<String> d = comparator.difference(a.name(), na, b.name(), nb).map(text -> stream + ": " + text);
            if (d.isPresent()) {
                return d;
            }
            counts.merge("events", (long) WatchStreamComparator.events(na), Long::sum);
            counts.merge("events with prev_kv", WatchStreamComparator.prevKvs(na), Long::sum);
            counts.merge("progress responses", (long) na.progressRevisions().size(), Long::sum);
            for (WatchResponse r : na.controls()) {
                count(counts, r.getCreated() ? r.getCanceled() ? "refused: " + r.getCancelReason() : "created"
                        : "canceled by the client");
            }
            na.perWatch().values().stream().flatMap(List::stream).filter(r -> r.getCompactRevision() != 0)
                    .forEach(r -> count(counts, "canceled for compaction"));
        }
        return Optional.empty();
    }

    private static void count(TreeMap<String, Long> counts, String what) {
        counts.merge(what, 1L, Long::sum);
    }

    private static void note(Deque<String> log, String line) {
        log.addLast(line);
        if (log.size() > CONTEXT) {
            log.removeFirst();
        }
    }

    private String report(String difference, WatchSide a, WatchSide b, Deque<String> log) {
        StringBuilder report = new StringBuilder();
        report.append("seed ").append(seed).append(": ").append(a.name()).append(" (A) and ").append(b.name())
                .append(" (B) differ: ").append(difference)
                .append("\nreplay: -Ddiff.seed=").append(seed).append(" -Ddiff.watchSteps=").append(steps)
                .append("\nlast ").append(log.size()).append(" steps (answers from A):\n");
        log.forEach(line -> report.append("  ").append(line).append('\n'));
        return report.toString();
    }
}
