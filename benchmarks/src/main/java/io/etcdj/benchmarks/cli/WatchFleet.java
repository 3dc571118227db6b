package io.etcdj.benchmarks.cli;

import io.etcdj.api.etcdserverpb.WatchCreateRequest;
import io.etcdj.api.etcdserverpb.WatchGrpc;
import io.etcdj.api.etcdserverpb.WatchRequest;
import io.etcdj.api.etcdserverpb.WatchResponse;
import io.etcdj.api.mvccpb.Event;
import io.etcdj.benchmarks.report.Stats;
import io.etcdj.client.ChannelPool;
import io.grpc.stub.ClientCallStreamObserver;
import io.grpc.stub.StreamObserver;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.IntFunction;

/**
 * {@code streams} gRPC watch streams with {@code perStream} watchers each, as etcd's watch benchmarks
 * open them: stream {@code s} rides connection {@code s mod conns}; watcher number
 * {@code s * perStream + j} is the j-th create request sent on stream s. Creation latency is the
 * time from sending a create request to its created response (etcd answers a stream's creates in
 * order). Every event goes to the {@link EventSink} with the watcher's number.
 */
final class WatchFleet implements AutoCloseable {

    /** Upper bound on watchers, so a typo cannot exhaust the heap. */
    static final int MAX_WATCHERS = 10_000_000;

    /** Receives events; called from gRPC threads, one stream's calls never overlap. */
    interface EventSink {
        void onEvents(int watcher, List<Event> events, long nowNanos);
    }

    private final ChannelPool pool;
    private final int streams;
    private final int perStream;
    private final EventSink sink;
    private final long[] createLatencies;
    private final CountDownLatch created;
    private final Map<String, Long> errors = new ConcurrentHashMap<>();
    private final List<ClientCallStreamObserver<WatchRequest>> requests = new ArrayList<>();

    WatchFleet(ChannelPool pool, int streams, int perStream, EventSink sink) {
        if (streams < 1 || perStream < 1 || (long) streams * perStream > MAX_WATCHERS) {
            throw new IllegalArgumentException("--streams and watchers per stream must be >= 1 and their product <= "
                    + MAX_WATCHERS);
        }
        this.pool = pool;
        this.streams = streams;
        this.perStream = perStream;
        this.sink = sink;
        this.createLatencies = new long[streams * perStream];
        this.created = new CountDownLatch(streams * perStream);
    }

    int size() {
        return streams * perStream;
    }

    /** Opens the streams, sends every create request and waits (at most {@code timeout}) for the answers. */
    Stats create(IntFunction<WatchCreateRequest> requestFor, Duration timeout) {
        long start = System.nanoTime();
        for (int s = 0; s < streams; s++) {
            Stream stream = new Stream(s);
            ClientCallStreamObserver<WatchRequest> req = (ClientCallStreamObserver<WatchRequest>)
                    WatchGrpc.newStub(pool.forClient(s)).watch(stream);
            requests.add(req);
            for (int j = 0; j < perStream; j++) {
                int watcher = s * perStream + j;
                stream.pending.add(new long[] {watcher, System.nanoTime()});
                req.onNext(WatchRequest.newBuilder().setCreateRequest(requestFor.apply(watcher)).build());
            }
        }
        try {
            if (!created.await(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                errors.merge("watch not created within " + timeout.toSeconds() + " s", created.getCount(), Long::sum);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        long wall = System.nanoTime() - start;
        List<Long> ok = new ArrayList<>();
        for (long l : createLatencies) {
            if (l > 0) {
                ok.add(l);
            }
        }
        return Stats.of(ok.stream().mapToLong(Long::longValue).toArray(), wall, new HashMap<>(errors));
    }

    /** Errors seen on the streams so far (creation refusals, stream failures). */
    Map<String, Long> errors() {
        return new HashMap<>(errors);
    }

    @Override
    public void close() {
        for (ClientCallStreamObserver<WatchRequest> r : requests) {
            r.cancel("benchmark done", null);
        }
    }

    /** One stream's receive side. */
    private final class Stream implements StreamObserver<WatchResponse> {
        private final int number;
        /** {watcher, send nanos} of creates not answered yet, in send order. */
        final Queue<long[]> pending = new ConcurrentLinkedQueue<>();
        /** watch id → watcher number; gRPC threads only, one at a time per stream. */
        private final Map<Long, Integer> byId = new HashMap<>();

        Stream(int number) {
            this.number = number;
        }

        @Override
        public void onNext(WatchResponse r) {
            long now = System.nanoTime();
            if (r.getCreated()) {
                long[] p = pending.poll();
                if (p == null) {
                    errors.merge("created response without a create request", 1L, Long::sum);
                    return;
                }
                if (r.getCanceled()) {
                    errors.merge("watch refused: " + r.getCancelReason(), 1L, Long::sum);
                } else {
                    byId.put(r.getWatchId(), (int) p[0]);
                    createLatencies[(int) p[0]] = Math.max(1, now - p[1]);
                }
                created.countDown();
                return;
            }
            if (r.getCanceled()) {
                errors.merge("watch canceled: " + r.getCancelReason(), 1L, Long::sum);
                return;
            }
            Integer watcher = byId.get(r.getWatchId());
            if (watcher != null && r.getEventsCount() > 0) {
                sink.onEvents(watcher, r.getEventsList(), now);
            }
        }

        @Override
        public void onError(Throwable t) {
            if (!(t instanceof io.grpc.StatusRuntimeException e
                    && e.getStatus().getCode() == io.grpc.Status.Code.CANCELLED)) {
                errors.merge("watch stream " + number + " failed: " + t.getMessage(), 1L, Long::sum);
            }
            // Creates this stream will never answer: release their waits now instead of at the timeout.
            while (pending.poll() != null) {
                created.countDown();
            }
        }

        @Override
        public void onCompleted() {
        }
    }
}
