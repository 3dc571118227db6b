package io.etcdj.benchmarks.cli;

import io.etcdj.benchmarks.report.Stats;
import io.etcdj.client.ChannelPool;
import io.grpc.ConnectivityState;
import io.grpc.ManagedChannel;
import io.grpc.StatusRuntimeException;
import java.io.PrintStream;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

/**
 * Runs {@code total} blocking requests from {@code clients} workers, each pulling the next
 * sequence number from one shared counter (so fast clients take more, as in etcd's tool), and
 * records each request's latency in a slot of its own: no lock or shared histogram on the hot path.
 * Workers are virtual threads: 64+ blocked callers cost no platform threads on a 2-core box.
 */
final class LoadRunner {

    /** Latencies are kept one long per request; 50 M requests is 400 MB, the sane ceiling. */
    static final long MAX_TOTAL = 50_000_000L;
    /** No run may last longer than this, whatever the server does. */
    static final Duration MAX_RUN = Duration.ofHours(2);
    /** Every request gets a deadline so a hung server ends the run instead of hanging it. */
    static final long REQUEST_DEADLINE_SECS = 60;
    private static final long PROGRESS_EVERY_MILLIS = 1_000;
    private static final long FAILED = -1;

    /** One blocking request. {@code seq} is unique in the run, in [0, total). */
    interface Request {
        void call(ManagedChannel channel, int client, long seq);
    }

    private final ChannelPool pool;
    private final int clients;
    private final long total;
    private final long pacingNanos;
    private final PrintStream progress;
    private final AtomicLong nextSeq = new AtomicLong();
    private final AtomicLong done = new AtomicLong();
    private final AtomicLong nextPermitNanos = new AtomicLong();
    private final Map<String, Long> errors = new ConcurrentHashMap<>();

    /** {@code rate} is the total requests per second across clients; 0 means as fast as possible. */
    LoadRunner(ChannelPool pool, int clients, long total, double rate, PrintStream progress) {
        this.pool = pool;
        this.clients = clients;
        this.total = total;
        this.pacingNanos = rate > 0 ? (long) (1e9 / rate) : 0;
        this.progress = progress;
    }

    Stats run(String workload, Request request) {
        long[] latencies = new long[Math.toIntExact(total)];
        long deadline = System.nanoTime() + MAX_RUN.toNanos();
        nextPermitNanos.set(System.nanoTime());
        long start = System.nanoTime();
        Thread[] workers = new Thread[clients];
        for (int c = 0; c < clients; c++) {
            int client = c;
            workers[c] = Thread.ofVirtual().name("bench-client-", c)
                    .start(() -> work(client, request, latencies, deadline));
        }
        joinWithProgress(workload, workers, deadline);
        long wall = System.nanoTime() - start;
        return Stats.of(successful(latencies), wall, new HashMap<>(errors));
    }

    private void work(int client, Request request, long[] latencies, long deadline) {
        ManagedChannel channel = pool.forClient(client);
        // Bounded by total (the counter) and by the run deadline.
        for (long seq = nextSeq.getAndIncrement(); seq < total; seq = nextSeq.getAndIncrement()) {
            if (System.nanoTime() - deadline > 0) {
                errors.merge("run deadline exceeded", total - seq, Long::sum);
                latencies[(int) seq] = FAILED;
                return;
            }
            awaitPermit();
            long t0 = System.nanoTime();
            try {
                request.call(channel, client, seq);
                latencies[(int) seq] = System.nanoTime() - t0;
            } catch (StatusRuntimeException e) {
                latencies[(int) seq] = FAILED;
                errors.merge(describe(e), 1L, Long::sum);
            }
            done.incrementAndGet();
        }
    }

    /** --rate: each request reserves the next slot on a shared timeline and waits for it. */
    private void awaitPermit() {
        if (pacingNanos == 0) {
            return;
        }
        long slot = nextPermitNanos.getAndAdd(pacingNanos);
        long wait = slot - System.nanoTime();
        // parkNanos may return early; bounded because the slot is a fixed instant.
        for (int i = 0; i < 1_000 && wait > 0; i++) {
            LockSupport.parkNanos(wait);
            wait = slot - System.nanoTime();
        }
    }

    private void joinWithProgress(String workload, Thread[] workers, long deadline) {
        try {
            for (Thread w : workers) {
                while (!w.join(Duration.ofMillis(PROGRESS_EVERY_MILLIS))) {
                    printProgress(workload);
                    if (System.nanoTime() - deadline > 0) {
                        return;
                    }
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        printProgress(workload);
        progress.println();
    }

    private void printProgress(String workload) {
        long d = done.get();
        progress.printf("\r%s: %d / %d (%d%%)", workload, d, total, total == 0 ? 100 : d * 100 / total);
        progress.flush();
    }

    private static long[] successful(long[] latencies) {
        int ok = 0;
        for (long l : latencies) {
            ok += l >= 0 ? 1 : 0;
        }
        long[] out = new long[ok];
        int i = 0;
        for (long l : latencies) {
            if (l >= 0) {
                out[i++] = l;
            }
        }
        return out;
    }

    static String describe(StatusRuntimeException e) {
        String d = e.getStatus().getDescription();
        return e.getStatus().getCode() + (d == null ? "" : ": " + d);
    }

    /** Dials every connection before the clock starts, as etcd's tool does before its run. */
    static void awaitReady(ChannelPool pool, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        for (int i = 0; i < pool.size(); i++) {
            ManagedChannel ch = pool.forClient(i);
            // Bounded by the dial deadline; polling every 5 ms costs nothing next to a dial.
            while (ch.getState(true) != ConnectivityState.READY) {
                if (System.nanoTime() - deadline > 0) {
                    throw new IllegalStateException("could not connect to " + pool.endpointForClient(i)
                            + " within " + timeout.toSeconds() + " s");
                }
                LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(5));
            }
        }
    }
}
