package io.etcdj.server.watch;

import io.etcdj.api.etcdserverpb.WatchResponse;
import io.grpc.Status;
import io.grpc.stub.ServerCallStreamObserver;
import io.grpc.stub.StreamObserver;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * One stream's bounded outbound buffer and the virtual thread that drains it into gRPC. The hub
 * thread is the only producer and never waits; the sender is the only caller of the observer and
 * waits for gRPC flow control ({@code isReady}) so a slow client fills this buffer, not the heap.
 */
final class StreamSender implements WatchSink {
    /** Marks the end of the stream in {@link #outbox}. */
    private static final Outgoing END = new Outgoing(WatchResponse.getDefaultInstance(), false);
    private static final long READY_POLL_MILLIS = 100;

    private final StreamObserver<WatchResponse> observer;
    private final int maxEventResponses;
    /** Responses waiting for the sender: event responses up to maxEventResponses, plus the reserve. */
    private final BlockingQueue<Outgoing> outbox;
    /** Event responses queued or being sent; only they count against maxEventResponses. */
    private final AtomicInteger queuedEvents = new AtomicInteger();
    private final Semaphore ready = new Semaphore(0);
    private volatile Throwable failure;
    private volatile boolean ended;
    private final Thread thread;
    private final WatchStats stats;
    private final AtomicLong pendingEvents = new AtomicLong();

    StreamSender(StreamObserver<WatchResponse> observer, WatchConfig config, String name) {
        this(observer, config, name, new WatchStats());
    }

    StreamSender(StreamObserver<WatchResponse> observer, WatchConfig config, String name, WatchStats stats) {
        this.observer = observer;
        this.stats = stats;
        stats.senders.add(this);
        this.maxEventResponses = config.streamBufferResponses();
        this.outbox = new ArrayBlockingQueue<>(config.streamBufferResponses() + config.streamControlReserve() + 1);
        if (observer instanceof ServerCallStreamObserver<WatchResponse> call) {
            call.setOnReadyHandler(ready::release);
        }
        this.thread = Thread.ofVirtual().name(name).start(this::run);
    }

    @Override
    public boolean offerEvents(List<WatchResponse> responses) {
        // Single producer: the room checked here can only grow until the offers below.
        boolean room = queuedEvents.get() + responses.size() <= maxEventResponses
                && outbox.remainingCapacity() - 1 >= responses.size(); // one slot stays free for END
        if (ended || !room) {
            return false;
        }
        queuedEvents.addAndGet(responses.size());
        for (WatchResponse r : responses) {
            pendingEvents.addAndGet(r.getEventsCount());
            boolean queued = outbox.offer(new Outgoing(r, true));
            if (!queued) {
                throw new IllegalStateException("watch outbox shrank under its only producer");
            }
        }
        return true;
    }

    @Override
    public boolean offerControl(WatchResponse response) {
        boolean room = outbox.remainingCapacity() - 1 > 0; // one slot stays free for END
        return !ended && room && outbox.offer(new Outgoing(response, false));
    }

    @Override
    public void fail(Throwable error) {
        failure = error;
        stop();
    }

    /** Ends the sender after what is queued (the client went away or the server is stopping). */
    void stop() {
        if (!ended) {
            ended = true;
            outbox.offer(END);
        }
    }

    private void run() {
        try {
            while (true) {
                Outgoing next = outbox.take();
                if (next == END) {
                    break;
                }
                awaitReady();
                int events = next.response().getEventsCount();
                pendingEvents.addAndGet(-events);
                observer.onNext(next.response());
                stats.eventsSent.addAndGet(events);
                if (next.event()) {
                    queuedEvents.decrementAndGet();
                }
            }
            Throwable f = failure;
            if (f != null) {
                observer.onError(Status.RESOURCE_EXHAUSTED.withDescription(f.getMessage()).asRuntimeException());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException e) {
            ended = true; // the call is gone (cancelled by the client): nothing more to send
        } finally {
            stats.senders.remove(this); // what it still holds will never be sent: no longer pending
        }
    }

    /** Events queued here and not yet handed to gRPC. */
    long pendingEvents() {
        return pendingEvents.get();
    }

    private void awaitReady() throws InterruptedException {
        if (observer instanceof ServerCallStreamObserver<WatchResponse> call) {
            while (!call.isReady() && !call.isCancelled()) {
                ready.tryAcquire(READY_POLL_MILLIS, TimeUnit.MILLISECONDS);
            }
        }
    }

    /** A queued response; {@code event} ones count against the event bound. */
    private record Outgoing(WatchResponse response, boolean event) {
    }

    void interrupt() {
        thread.interrupt();
    }
}
