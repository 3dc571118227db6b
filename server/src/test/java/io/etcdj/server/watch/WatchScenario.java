package io.etcdj.server.watch;

import com.google.protobuf.ByteString;
import io.etcdj.api.etcdserverpb.ResponseHeader;
import io.etcdj.api.etcdserverpb.WatchCreateRequest;
import io.etcdj.api.mvccpb.Event;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.IntFunction;

/**
 * A randomized run of {@link WatchCore} against {@link FakeHistory} from a seed: writes (some
 * dropped on their way to the hub, as a full inbox would), watches created at past, present and
 * future revisions on keys and ranges, cancels with a resumed watch, progress requests, compaction,
 * and clients that read slowly (tiny buffers make victims). Ends by letting every client read
 * everything and the hub catch up, so every surviving watcher owes the whole history.
 */
class WatchScenario {
    static final String[] KEYS = {"a", "b", "c", "d", "e"};

    /** One watcher as the client knows it. */
    record Watch(WatchGuarantees.Spec spec, TestSink sink, Watch resumedFrom, boolean clientCanceled) {
    }

    final FakeHistory model = new FakeHistory();
    final List<Watch> watches = new ArrayList<>();
    final List<TestSink> sinks = new ArrayList<>();
    private final Random random;
    private final WatchCore core;
    private final List<WatchStreamState> streams = new ArrayList<>();
    private long now;

    WatchScenario(long seed, int bufferResponses) {
        this(seed, bufferResponses, buffer -> new StreamOutbox(buffer, 1_000, 0));
    }

    /** A run whose streams queue through {@code outboxes} (given the buffer size), e.g. coalescing ones. */
    WatchScenario(long seed, int bufferResponses, IntFunction<StreamOutbox> outboxes) {
        this.random = new Random(seed);
        WatchConfig config = WatchConfig.defaults().withStreamBuffer(bufferResponses).withMaxEventsPerSync(3)
                .withProgressNotifyInterval(Duration.ofSeconds(1));
        this.core = new WatchCore(model, rev -> ResponseHeader.newBuilder().setRevision(rev).build(), config,
                model.current());
        for (int i = 0; i < 3; i++) {
            TestSink sink = new TestSink(outboxes.apply(bufferResponses));
            sinks.add(sink);
            streams.add(core.openStream(sink));
        }
    }

    WatchScenario run(int steps) {
        for (int i = 0; i < steps; i++) {
            step();
        }
        finish();
        return this;
    }

    private void step() {
        int dice = random.nextInt(100);
        if (dice < 45) {
            write();
        } else if (dice < 60) {
            create(random.nextInt(streams.size()), randomRequest(), null);
        } else if (dice < 65) {
            cancelAndResume();
        } else if (dice < 70) {
            core.requestProgress(streams.get(random.nextInt(streams.size())));
        } else if (dice < 73 && model.current() > 2) {
            model.compact(Math.max(model.compactRevision(), 1 + random.nextInt((int) model.current())));
        } else if (dice < 90) {
            sinks.get(random.nextInt(sinks.size())).drain(1 + random.nextInt(3));
        } else {
            now += Duration.ofMillis(300).toNanos();
            core.sync(now);
            core.tick(now);
        }
    }

    private void write() {
        Map<String, String> ops = new LinkedHashMap<>();
        int n = 1 + random.nextInt(3);
        for (int i = 0; i < n; i++) {
            String key = KEYS[random.nextInt(KEYS.length)];
            ops.put(key, random.nextInt(4) == 0 ? null : "v" + random.nextInt(1000));
        }
        List<Event> events = model.write(ops);
        if (events.isEmpty()) {
            return;
        }
        if (random.nextInt(10) == 0) {
            return; // the hub's inbox was full: this revision never reaches it
        }
        core.onRevision(model.current(), events, now);
    }

    private WatchCreateRequest randomRequest() {
        WatchCreateRequest.Builder b = WatchCreateRequest.newBuilder();
        int i = random.nextInt(KEYS.length);
        b.setKey(ByteString.copyFromUtf8(KEYS[i]));
        int shape = random.nextInt(3);
        if (shape == 1) {
            b.setRangeEnd(ByteString.copyFromUtf8(KEYS[Math.min(KEYS.length - 1, i + 1 + random.nextInt(2))] + "\0"));
        } else if (shape == 2) {
            b.setRangeEnd(ByteString.copyFrom(new byte[] {0}));
        }
        if (random.nextBoolean()) {
            long low = Math.max(1, model.compactRevision() - 2);
            b.setStartRevision(low + random.nextInt((int) (model.current() - low) + 4));
        }
        b.setPrevKv(random.nextBoolean()).setProgressNotify(random.nextBoolean());
        if (random.nextInt(4) == 0) {
            b.addFilters(random.nextBoolean() ? WatchCreateRequest.FilterType.NOPUT : WatchCreateRequest.FilterType.NODELETE);
        }
        return b.build();
    }

    /** Creates a watch; the client learns its id and effective start from the created response. */
    Watch create(int streamIndex, WatchCreateRequest request, Watch resumedFrom) {
        TestSink sink = sinks.get(streamIndex);
        WatchStreamState stream = streams.get(streamIndex);
        long startRev = request.getStartRevision() > 0 ? request.getStartRevision()
                : Math.max(core.revision(), model.current()) + 1;
        long id = stream.nextId;
        while (stream.watchers.containsKey(id)) {
            id++;
        }
        core.create(stream, request, now);
        ByteString end = request.getRangeEnd().isEmpty() ? null
                : request.getRangeEnd().equals(ByteString.copyFrom(new byte[] {0})) ? ByteString.EMPTY : request.getRangeEnd();
        WatchGuarantees.Spec spec = new WatchGuarantees.Spec(id, request.getKey(), end, startRev, request.getPrevKv(),
                request.getFiltersList().contains(WatchCreateRequest.FilterType.NOPUT),
                request.getFiltersList().contains(WatchCreateRequest.FilterType.NODELETE));
        Watch w = new Watch(spec, sink, resumedFrom, false);
        watches.add(w);
        return w;
    }

    /** The client cancels a watch after reading what arrived, then re-watches from last + 1. */
    private void cancelAndResume() {
        if (watches.isEmpty()) {
            return;
        }
        int index = random.nextInt(watches.size());
        Watch w = watches.get(index);
        int streamIndex = sinks.indexOf(w.sink());
        WatchStreamState stream = streams.get(streamIndex);
        if (!stream.watchers.containsKey(w.spec().id())) {
            return;
        }
        w.sink().drainAll();
        core.cancel(stream, w.spec().id());
        w.sink().drainAll();
        watches.set(index, new Watch(w.spec(), w.sink(), w.resumedFrom(), true));
        WatchGuarantees.Outcome seen = WatchGuarantees.check(model, w.spec(), w.sink().delivered, false);
        long next = seen.events().isEmpty() ? w.spec().startRev() : seen.events().getLast().getKv().getModRevision() + 1;
        WatchCreateRequest.Builder again = WatchCreateRequest.newBuilder().setKey(w.spec().key())
                .setStartRevision(resumeRevision(next)).setPrevKv(w.spec().prevKv());
        if (w.spec().end() != null) {
            again.setRangeEnd(w.spec().end().isEmpty() ? ByteString.copyFrom(new byte[] {0}) : w.spec().end());
        }
        if (w.spec().noPut()) {
            again.addFilters(WatchCreateRequest.FilterType.NOPUT);
        }
        if (w.spec().noDelete()) {
            again.addFilters(WatchCreateRequest.FilterType.NODELETE);
        }
        create(streamIndex, again.build(), watches.get(index));
    }

    /** Where a resumed watch starts; a negative control overrides it. */
    long resumeRevision(long next) {
        return next;
    }

    private void finish() {
        for (int round = 0; round < 1_000 && (core.unsyncedCount() > 0 || anyQueued()); round++) {
            sinks.forEach(TestSink::drainAll);
            now += Duration.ofMillis(100).toNanos();
            core.skipTo(model.current());
            core.sync(now);
        }
        streams.forEach(core::requestProgress);
        sinks.forEach(TestSink::drainAll);
    }

    private boolean anyQueued() {
        return sinks.stream().anyMatch(s -> s.queued() > 0);
    }

    /** Every watcher's violations; a resumed watch is also checked as the continuation of its first. */
    List<String> violations() {
        List<String> out = new ArrayList<>();
        Map<Watch, WatchGuarantees.Outcome> outcomes = new LinkedHashMap<>();
        for (Watch w : watches) {
            WatchGuarantees.Outcome o = WatchGuarantees.check(model, w.spec(), w.sink().delivered, !w.clientCanceled());
            outcomes.put(w, o);
            o.violations().forEach(v -> out.add(v + " [watch " + w.spec().id() + "]"));
        }
        for (Watch w : watches) {
            Watch first = w.resumedFrom();
            if (first != null && outcomes.containsKey(first) && !outcomes.get(first).compacted()) {
                out.addAll(WatchGuarantees.checkResumed(model, first.spec(), outcomes.get(first).events(),
                        outcomes.get(w).events()));
            }
        }
        return out;
    }
}
