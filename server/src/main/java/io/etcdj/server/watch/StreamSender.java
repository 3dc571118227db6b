package io.etcdj.server.watch;

import io.etcdj.api.etcdserverpb.WatchResponse;
import io.grpc.Status;
import io.grpc.stub.ServerCallStreamObserver;
import io.grpc.stub.StreamObserver;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * One stream's sender: its {@link StreamOutbox}, drained into gRPC by tasks on the stream's own
 * {@link DrainThread} (in the server: the event loop of the stream's connection). The hub thread is
 * the only producer and never waits; at most one drain is outstanding, so the observer sees one
 * caller, in order.
 *
 * <p><b>Drains, not a sender thread.</b> Armeria's gRPC call is ready only while none of its
 * messages is unconsumed, so a thread that waited for {@code isReady} before every message made each
 * response a round trip hub → sender → event loop → onReady → sender. A drain hands everything
 * queued to gRPC in one task, then waits for {@code onReady}, which Armeria signals once that burst
 * is consumed. Flow control holds: a slow client leaves at most one burst inside gRPC and the rest
 * in the outbox, where a full outbox makes its watchers victims.
 *
 * <p><b>Pacing.</b> The outbox coalesces a watcher's events into its queued response, but only
 * while something is queued, and an event loop with spare cycles drains at once: one message per
 * watcher per revision, each costing the server and the client far more than its events. So after
 * a burst of n messages the next drain waits n × {@link #PACE_NANOS_PER_MESSAGE} (at most {@link
 * #PACE_MAX_NANOS}): a stream stays under ≈ 2,500 messages a second, and what arrives faster leaves
 * in fewer, larger responses, as etcd's catch-up batches do. A stream below that rate sees no delay:
 * the wait only holds back a drain that would come sooner. Measured on the fan-out benchmark (1,000
 * watchers on 10 streams, docs/benchmarks.md): without pacing 60–80k messages for 200k events and
 * ≈ 130k events/s, with it ≈ 30k messages and 205–255k events/s.
 */
final class StreamSender implements WatchSink {
    /** Queued bytes per stream up to which responses still grow by merging. */
    static final long MERGE_BUDGET_BYTES = 256 * 1024;
    static final long PACE_NANOS_PER_MESSAGE = 400_000;
    static final long PACE_MAX_NANOS = 20_000_000;

    private final StreamObserver<WatchResponse> observer;
    private final ServerCallStreamObserver<WatchResponse> call;
    private final DrainThread thread;
    private final WatchStats stats;
    /** Guarded by itself. */
    private final StreamOutbox outbox;
    /** END is queued, or the sender finished: no more offers. Under the outbox's lock. */
    private boolean closedForOffers;

    /** A drain is queued, scheduled or running; cleared only by the drain itself. */
    private final AtomicBoolean draining = new AtomicBoolean();
    /** No drain before this ({@link DrainThread#nanoTime}); written by drains, read by offers. */
    private volatile long pacedUntilNanos;
    private volatile Throwable failure;
    /** The call is over (cancelled or closed): queued responses are dropped, the observer left alone. */
    private volatile boolean abandoned;
    /** END was reached or the stream was abandoned, and the sender has left the stats. */
    private volatile boolean finished;

    StreamSender(StreamObserver<WatchResponse> observer, WatchConfig config, DrainThread thread, WatchStats stats) {
        this.observer = observer;
        this.call = observer instanceof ServerCallStreamObserver<WatchResponse> c ? c : null;
        this.thread = thread;
        this.stats = stats;
        this.outbox = new StreamOutbox(config.streamBufferResponses(), config.streamControlReserve(),
                MERGE_BUDGET_BYTES);
        stats.senders.add(this);
        if (call != null) {
            call.setOnReadyHandler(this::schedule);
        }
    }

    @Override
    public boolean offerEvents(List<WatchResponse> responses) {
        synchronized (outbox) {
            if (closedForOffers || abandoned || !outbox.offerEvents(responses)) {
                return false;
            }
        }
        schedule();
        return true;
    }

    @Override
    public boolean offerControl(WatchResponse response) {
        synchronized (outbox) {
            if (closedForOffers || abandoned || !outbox.offerControl(response)) {
                return false;
            }
        }
        schedule();
        return true;
    }

    @Override
    public void fail(Throwable error) {
        failure = error;
        stop();
    }

    /** Ends the stream after what is queued (with the failure, if {@link #fail} set one). */
    void stop() {
        synchronized (outbox) {
            if (closedForOffers) {
                return;
            }
            closedForOffers = true;
            outbox.offerEnd();
        }
        schedule();
    }

    /** The call is over (the client went away, or it was closed): drop what is queued, send nothing. */
    void abandon() {
        abandoned = true;
        schedule();
    }

    /** Events queued here and not yet handed to gRPC (read at metrics scrapes). */
    long pendingEvents() {
        synchronized (outbox) {
            return outbox.events();
        }
    }

    /** Queues a drain unless one is outstanding; that one re-checks before it lets go. */
    private void schedule() {
        if (draining.compareAndSet(false, true)) {
            try {
                long wait = abandoned ? 0 : pacedUntilNanos - thread.nanoTime();
                if (wait > 0) {
                    thread.runLater(this::drain, wait);
                } else {
                    thread.run(this::drain);
                }
            } catch (RuntimeException e) { // the thread is shut down: the connection is gone
                abandoned = true;
                finish();
            }
        }
    }

    private void drain() {
        while (true) {
            long wait = abandoned ? 0 : pacedUntilNanos - thread.nanoTime();
            if (wait > 0) {
                thread.runLater(this::drain, wait); // draining stays set: offers meanwhile only queue
                return;
            }
            sendBurst();
            draining.set(false);
            // An offer or onReady that came while draining was set did not schedule: look again.
            boolean more = !finished && (abandoned || (hasQueued() && ready()));
            if (!more || !draining.compareAndSet(false, true)) {
                return;
            }
        }
    }

    /** Hands everything queued to gRPC, or stops at END. */
    private void sendBurst() {
        if (finished) {
            return;
        }
        if (abandoned || cancelled()) {
            finish();
            return;
        }
        if (!ready()) {
            return; // the last burst is still inside gRPC: onReady schedules the next drain
        }
        List<StreamOutbox.Entry> burst;
        synchronized (outbox) {
            burst = outbox.takeAll();
        }
        if (burst.isEmpty()) {
            return;
        }
        pacedUntilNanos = thread.nanoTime() + Math.min(PACE_MAX_NANOS, burst.size() * PACE_NANOS_PER_MESSAGE);
        try {
            for (StreamOutbox.Entry entry : burst) {
                if (entry.isEnd()) {
                    Throwable f = failure;
                    if (f != null) {
                        observer.onError(Status.RESOURCE_EXHAUSTED.withDescription(f.getMessage()).asRuntimeException());
                    }
                    finish();
                    return;
                }
                WatchResponse response = entry.build(); // outside the lock: the hub never waits on it
                observer.onNext(response);
                stats.eventsSent.addAndGet(response.getEventsCount());
            }
        } catch (RuntimeException e) { // the call is gone (cancelled by the client): nothing more to send
            abandoned = true;
            finish();
        }
    }

    private boolean hasQueued() {
        synchronized (outbox) {
            return !outbox.isEmpty();
        }
    }

    private void finish() {
        finished = true;
        synchronized (outbox) {
            closedForOffers = true;
            outbox.clear();
        }
        stats.senders.remove(this); // what it still held will never be sent: no longer pending
    }

    private boolean ready() {
        return call == null || call.isReady();
    }

    private boolean cancelled() {
        return call != null && call.isCancelled();
    }
}
