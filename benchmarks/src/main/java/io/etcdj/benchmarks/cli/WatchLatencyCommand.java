package io.etcdj.benchmarks.cli;

import com.google.protobuf.ByteString;
import io.etcdj.api.etcdserverpb.KVGrpc;
import io.etcdj.api.etcdserverpb.PutRequest;
import io.etcdj.api.etcdserverpb.WatchCreateRequest;
import io.etcdj.api.mvccpb.Event;
import io.etcdj.benchmarks.report.Stats;
import io.etcdj.client.ChannelPool;
import io.grpc.StatusRuntimeException;
import java.time.Duration;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

/**
 * {@code benchmark watch-latency}: etcd's put → event latency. {@code --streams} x
 * {@code --watchers-per-stream} watchers on one key; one client puts that key {@code --put-total}
 * times at {@code --put-rate} on a connection of its own; each event's latency is its arrival time
 * minus the moment its put was sent. (etcd's tool subtracts the end of the put instead, which counts
 * 0 whenever the event overtakes the put's response, as it mostly does on one machine: its p50 then
 * reads 0 and cannot be compared.) Reports the puts, then the events.
 */
@Command(name = "watch-latency", mixinStandardHelpOptions = true, description = "Benchmark watch latency")
final class WatchLatencyCommand implements Runnable {

    @ParentCommand
    BenchmarkCommand root;

    @Option(names = "--streams", defaultValue = "10", description = "Total watch streams")
    int streams;

    @Option(names = "--watchers-per-stream", defaultValue = "10", description = "Total watchers per stream")
    int watchersPerStream;

    @Option(names = "--prevkv", arity = "0..1", fallbackValue = "true", description = "PrevKV enabled on watch requests")
    boolean prevKv;

    @Option(names = "--put-total", defaultValue = "1000", description = "Total number of put requests")
    int putTotal;

    @Option(names = "--put-rate", defaultValue = "100", description = "Number of keys to put per second")
    double putRate;

    @Option(names = "--key-size", defaultValue = "32", description = "Key size of watch response")
    int keySize;

    @Option(names = "--val-size", defaultValue = "32", description = "Value size of watch response")
    int valSize;

    static final Duration DRAIN_TIMEOUT = Duration.ofSeconds(60);

    @Override
    public void run() {
        if (putTotal < 1 || putRate <= 0 || keySize < 1) {
            throw new IllegalArgumentException("--put-total, --put-rate and --key-size must be positive");
        }
        ByteString key = Keys.randomValue(keySize, 7);
        ByteString value = Keys.randomValue(valSize, 8);
        int watchers = streams * watchersPerStream;
        if ((long) watchers * putTotal > LoadRunner.MAX_TOTAL) {
            throw new IllegalArgumentException("watchers x --put-total must be <= " + LoadRunner.MAX_TOTAL);
        }
        Arrivals arrivals = new Arrivals(watchers, putTotal);
        LinkedHashMap<String, Stats> phases = new LinkedHashMap<>();
        try (ChannelPool pool = root.openPool(Math.min(root.clients, root.conns));
                ChannelPool putPool = root.openPool(1);
                WatchFleet fleet = new WatchFleet(pool, streams, watchersPerStream, arrivals)) {
            Stats created = fleet.create(w -> WatchCreateRequest.newBuilder().setKey(key).setPrevKv(prevKv).build(),
                    Duration.ofSeconds(60 + watchers / 500));
            if (!created.errors().isEmpty()) {
                throw new IllegalStateException("watch creation failed: " + created.errors());
            }
            long[] putStart = new long[putTotal];
            Stats puts = putPaced(putPool, key, value, putStart);
            arrivals.await(DRAIN_TIMEOUT);
            phases.put("Put summary", puts);
            Map<String, Long> errors = fleet.errors();
            long missing = arrivals.missing();
            if (missing > 0) {
                errors.merge("events not received within " + DRAIN_TIMEOUT.toSeconds() + " s", missing, Long::sum);
            }
            phases.put("Watch events summary", Stats.of(arrivals.latencies(putStart), puts.totalSecs() > 0
                    ? (long) (puts.totalSecs() * 1e9) : 1, errors));
        }
        root.report("watch-latency", phases, null);
    }

    /** Sequential puts, one every 1/rate s on a fixed timeline; records when each put was sent. */
    private Stats putPaced(ChannelPool pool, ByteString key, ByteString value, long[] putStart) {
        PutRequest req = PutRequest.newBuilder().setKey(key).setValue(value).build();
        long interval = (long) (1e9 / putRate);
        long[] latencies = new long[putTotal];
        Map<String, Long> errors = new HashMap<>();
        long start = System.nanoTime();
        int ok = 0;
        for (int i = 0; i < putTotal; i++) {
            long wait = start + i * interval - System.nanoTime();
            if (wait > 0) {
                LockSupport.parkNanos(wait);
            }
            long t0 = System.nanoTime();
            putStart[i] = t0;
            try {
                KVGrpc.newBlockingStub(pool.forClient(0))
                        .withDeadlineAfter(LoadRunner.REQUEST_DEADLINE_SECS, TimeUnit.SECONDS).put(req);
                latencies[ok++] = System.nanoTime() - t0;
            } catch (StatusRuntimeException e) {
                // A failed put may or may not have been applied; the event matching below assumes
                // every put landed, so stop rather than misattribute events.
                errors.merge(LoadRunner.describe(e), 1L, Long::sum);
                throw new IllegalStateException("put failed, watch latencies would be misattributed: "
                        + LoadRunner.describe(e), e);
            }
            if ((i + 1) % 100 == 0) {
                System.err.printf("\rwatch-latency: %d / %d puts", i + 1, putTotal);
            }
        }
        System.err.println();
        long[] okLatencies = new long[ok];
        System.arraycopy(latencies, 0, okLatencies, 0, ok);
        return Stats.of(okLatencies, System.nanoTime() - start, errors);
    }

    /** Arrival time of each watcher's n-th event; the n-th event is the n-th put (one key, in order). */
    static final class Arrivals implements WatchFleet.EventSink {
        private final long[][] arrival;
        private final int[] count;
        private final CountDownLatch done;

        Arrivals(int watchers, int puts) {
            arrival = new long[watchers][puts];
            count = new int[watchers];
            done = new CountDownLatch(watchers);
        }

        @Override
        public void onEvents(int watcher, List<Event> events, long nowNanos) {
            // One stream's callbacks never overlap and each watcher belongs to one stream.
            synchronized (arrival[watcher]) {
                for (int i = 0; i < events.size() && count[watcher] < arrival[watcher].length; i++) {
                    arrival[watcher][count[watcher]++] = nowNanos;
                    if (count[watcher] == arrival[watcher].length) {
                        done.countDown();
                    }
                }
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
            long m = 0;
            for (int w = 0; w < count.length; w++) {
                synchronized (arrival[w]) {
                    m += arrival[w].length - count[w];
                }
            }
            return m;
        }

        /** Latency of every received event: arrival minus when its put was sent, at least 0. */
        long[] latencies(long[] putStart) {
            long[] out = new long[(int) ((long) count.length * putStart.length - missing())];
            int k = 0;
            for (int w = 0; w < count.length; w++) {
                synchronized (arrival[w]) {
                    for (int n = 0; n < count[w]; n++) {
                        out[k++] = Math.max(0, arrival[w][n] - putStart[n]);
                    }
                }
            }
            return out;
        }
    }
}
