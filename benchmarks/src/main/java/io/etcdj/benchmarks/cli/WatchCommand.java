package io.etcdj.benchmarks.cli;

import com.google.protobuf.ByteString;
import io.etcdj.api.etcdserverpb.KVGrpc;
import io.etcdj.api.etcdserverpb.PutRequest;
import io.etcdj.api.etcdserverpb.WatchCreateRequest;
import io.etcdj.api.mvccpb.Event;
import io.etcdj.benchmarks.report.Stats;
import io.etcdj.client.ChannelPool;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.locks.LockSupport;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

/**
 * {@code benchmark watch}: etcd's watch fan-out load. Opens {@code --streams} streams of
 * {@code --watch-per-stream} watchers over {@code --watched-key-total} keys (watcher i watches key
 * i mod that total), reports the creation latencies, then puts {@code --put-total} times (key
 * j mod total) from {@code --clients} workers at {@code --put-rate} and reports every event
 * received: count, events/s over the put phase, and each event's delay from its put being sent
 * (the value carries the send time; etcd's tool sends "data" and reports no delay).
 */
@Command(name = "watch", mixinStandardHelpOptions = true, description = "Benchmark watch")
final class WatchCommand implements Runnable {

    @ParentCommand
    BenchmarkCommand root;

    @Option(names = "--streams", defaultValue = "10", description = "Total watch streams")
    int streams;

    @Option(names = "--watch-per-stream", defaultValue = "100", description = "Total watchers per stream")
    int watchPerStream;

    @Option(names = "--watched-key-total", defaultValue = "1", description = "Total number of keys to be watched")
    int watchedKeyTotal;

    @Option(names = "--put-rate", defaultValue = "0", description = "Number of keys to put per second (0 is no limit)")
    double putRate;

    @Option(names = "--put-total", defaultValue = "1000", description = "Number of put requests")
    long putTotal;

    @Option(names = "--key-size", defaultValue = "32", description = "Key size of watch request")
    int keySize;

    @Option(names = "--key-space-size", defaultValue = "1", description = "Maximum possible keys")
    int keySpaceSize;

    @Option(names = "--sequential-keys", arity = "0..1", fallbackValue = "true", description = "Use sequential keys")
    boolean sequentialKeys;

    @Option(names = "--hold-secs", defaultValue = "0",
            description = "Keep the watchers open this long after creation, before the puts (etcdj extension, "
                    + "for memory measurements); prints 'watchers ready' to stderr when they are")
    int holdSecs;

    /** How long the events of the last put may take to arrive after the put phase ends. */
    static final Duration DRAIN_TIMEOUT = Duration.ofSeconds(60);

    @Override
    public void run() {
        if (watchedKeyTotal < 1 || putTotal < 0 || putTotal > LoadRunner.MAX_TOTAL || holdSecs < 0) {
            throw new IllegalArgumentException("--watched-key-total must be >= 1, --put-total in [0, "
                    + LoadRunner.MAX_TOTAL + "], --hold-secs >= 0");
        }
        ByteString[] watched = watchedKeys(new Keys(keySize, keySpaceSize, sequentialKeys), watchedKeyTotal,
                new SplittableRandom(42));
        long expected = expectedEvents(watched.length, streams, watchPerStream, putTotal);
        EventCounter counter = new EventCounter(expected, streams * watchPerStream);
        LinkedHashMap<String, Stats> phases = new LinkedHashMap<>();
        try (ChannelPool pool = root.openPool(Math.min(root.clients, root.conns));
                WatchFleet fleet = new WatchFleet(pool, streams, watchPerStream, counter)) {
            Duration createTimeout = Duration.ofSeconds(60 + fleet.size() / 500);
            phases.put("Watch creation summary", fleet.create(
                    w -> WatchCreateRequest.newBuilder().setKey(watched[w % watched.length]).build(), createTimeout));
            if (holdSecs > 0) {
                System.err.println("watchers ready: " + fleet.size());
                LockSupport.parkNanos(TimeUnit.SECONDS.toNanos(holdSecs));
            }
            if (putTotal > 0) {
                phases.put("Watch events received summary", putAndCount(pool, watched, counter, fleet));
            }
        }
        root.report("watch", phases, null);
    }

    private Stats putAndCount(ChannelPool pool, ByteString[] watched, EventCounter counter, WatchFleet fleet) {
        long start = System.nanoTime();
        Stats puts = new LoadRunner(pool, root.clients, putTotal, putRate, System.err).run("watch put",
                (channel, client, seq) -> KVGrpc.newBlockingStub(channel)
                        .withDeadlineAfter(LoadRunner.REQUEST_DEADLINE_SECS, TimeUnit.SECONDS)
                        .put(PutRequest.newBuilder().setKey(watched[(int) (seq % watched.length)])
                                .setValue(sendTime(System.nanoTime())).build()));
        // Puts that failed produce no events: do not wait for them.
        long failedPuts = puts.errors().values().stream().mapToLong(Long::longValue).sum();
        counter.forgive(failedPuts * (counter.expected / Math.max(1, putTotal)));
        counter.await(DRAIN_TIMEOUT);
        Map<String, Long> errors = new HashMap<>(fleet.errors());
        puts.errors().forEach((k, v) -> errors.merge("put: " + k, v, Long::sum));
        long missing = counter.missing();
        if (missing > 0) {
            errors.merge("events not received within " + DRAIN_TIMEOUT.toSeconds() + " s of the last put", missing,
                    Long::sum);
        }
        long last = counter.lastEventNanos.get();
        return Stats.of(counter.latencies(), (last > 0 ? last : System.nanoTime()) - start, errors);
    }

    /** Watcher i watches key i mod n; etcd's tool draws each watched key's number like put does. */
    static ByteString[] watchedKeys(Keys keys, int n, SplittableRandom random) {
        ByteString[] out = new ByteString[n];
        for (int i = 0; i < n; i++) {
            out[i] = keys.key(keys.numberFor(i, random));
        }
        return out;
    }

    /** Events the puts cause: put j hits key j mod k, watched by every watcher i with i mod k == j mod k. */
    static long expectedEvents(int keys, int streams, int perStream, long puts) {
        long watchers = (long) streams * perStream;
        long total = 0;
        for (int k = 0; k < keys; k++) {
            long watchersOfKey = watchers / keys + (k < watchers % keys ? 1 : 0);
            long putsOfKey = puts / keys + (k < puts % keys ? 1 : 0);
            total += watchersOfKey * putsOfKey;
        }
        return total;
    }

    static ByteString sendTime(long nanos) {
        return ByteString.copyFrom(ByteBuffer.allocate(Long.BYTES).putLong(nanos).array());
    }

    static long sendTimeOf(ByteString value) {
        return value.size() == Long.BYTES ? value.asReadOnlyByteBuffer().getLong() : -1;
    }

    /** Counts events and records each one's delay from its put's send time. */
    static final class EventCounter implements WatchFleet.EventSink {
        final long expected;
        /** Slots handed out, one per event. */
        private final AtomicLong slots = new AtomicLong();
        /** Events whose latency is written (incremented after the write, so a reader sees it). */
        private final AtomicLong received = new AtomicLong();
        private final AtomicLong forgiven = new AtomicLong();
        private final long[] latencies;
        private final AtomicLongArray perWatcher;
        final AtomicLong lastEventNanos = new AtomicLong();
        private final CountDownLatch done = new CountDownLatch(1);

        EventCounter(long expected, int watchers) {
            if (expected > LoadRunner.MAX_TOTAL) {
                throw new IllegalArgumentException("the run would deliver " + expected + " events; at most "
                        + LoadRunner.MAX_TOTAL + " are recorded");
            }
            this.expected = expected;
            this.latencies = new long[(int) expected];
            this.perWatcher = new AtomicLongArray(watchers);
            if (expected == 0) {
                done.countDown();
            }
        }

        @Override
        public void onEvents(int watcher, List<Event> events, long nowNanos) {
            perWatcher.addAndGet(watcher, events.size());
            for (Event e : events) {
                long n = slots.getAndIncrement();
                long sent = sendTimeOf(e.getKv().getValue());
                if (n < latencies.length) {
                    latencies[(int) n] = sent > 0 ? Math.max(0, nowNanos - sent) : 0;
                }
                received.incrementAndGet();
            }
            lastEventNanos.accumulateAndGet(nowNanos, Math::max);
            if (received.get() + forgiven.get() >= expected) {
                done.countDown();
            }
        }

        void forgive(long events) {
            forgiven.addAndGet(events);
            if (received.get() + forgiven.get() >= expected) {
                done.countDown();
            }
        }

        void await(Duration timeout) {
            try {
                done.await(timeout.toMillis(), TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }

        long missing() {
            return Math.max(0, expected - forgiven.get() - received.get());
        }

        long receivedBy(int watcher) {
            return perWatcher.get(watcher);
        }

        long[] latencies() {
            int n = (int) Math.min(received.get(), latencies.length);
            long[] out = new long[n];
            System.arraycopy(latencies, 0, out, 0, n);
            return out;
        }
    }
}
