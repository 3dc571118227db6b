package io.etcdj.server.v3rpc;

import com.linecorp.armeria.common.HttpData;
import com.linecorp.armeria.common.HttpObject;
import com.linecorp.armeria.common.HttpResponse;
import com.linecorp.armeria.common.stream.SubscriptionOption;
import com.linecorp.armeria.server.DecoratingHttpServiceFunction;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.util.concurrent.EventExecutor;
import java.util.ArrayDeque;
import java.util.concurrent.RejectedExecutionException;
import org.reactivestreams.Publisher;
import org.reactivestreams.Subscriber;
import org.reactivestreams.Subscription;

/**
 * A streaming response whose DATA chunks, queued while the connection was writing the previous one,
 * leave together in one write.
 *
 * <p><b>Why.</b> Armeria writes and flushes every gRPC message of a call on its own and asks for the
 * next one only when that write completed: a watch stream sending 1,000 small responses made 1,000
 * writes, each ≈ 13 µs of event-loop time (docs/watch.md "Delivery"). gRPC messages are
 * length-prefixed, so any number of them may share one HTTP/2 DATA payload; this takes what the call
 * wrote in the meantime and hands it on as one chunk, the way grpc-go's writer batches frames until
 * its queue is empty. Nothing waits for a batch to fill: a chunk leaves as soon as the connection
 * asks for one.
 *
 * <p><b>Flow control is kept.</b> The call's messages count as consumed when they enter this queue
 * ({@code ServerCall.isReady} turns true again), so the queue takes from the call only while it
 * holds fewer than {@link #MAX_QUEUED_BYTES}: a slow client still stops the watch sender, now one
 * queue later.
 *
 * <p>Every signal runs on the response's event loop (the connection's), so the state needs no lock.
 * Headers and trailers pass through in order; an upstream failure drops what is queued (the stream
 * is being reset anyway).
 */
public final class CoalescedResponse implements Publisher<HttpObject>, Subscriber<HttpObject>, Subscription {
    /** Bytes taken from the call and not yet handed to the connection, above which taking stops. */
    static final int MAX_QUEUED_BYTES = 256 * 1024;
    /** Chunks merged into one write at most; beyond it the rest waits for the next write. */
    static final int MAX_CHUNKS_PER_WRITE = 1024;
    /** Objects asked of the call at a time (one at a time would be a request per message). */
    static final int UPSTREAM_REQUEST = 64;

    private final HttpResponse upstream;
    private final EventExecutor loop;
    private final ByteBufAllocator alloc;

    /** HttpData chunks (as ByteBufs) and headers, in order. */
    private final ArrayDeque<Object> queue = new ArrayDeque<>();
    private long queuedBytes;
    private Subscriber<? super HttpObject> downstream;
    private Subscription upstreamSubscription;
    private long demand;
    /** Asked of the call and not yet received. */
    private long upstreamOutstanding;
    /** Inside {@link #askUpstream}: the call may answer a request at once, from within it. */
    private boolean asking;
    /** An {@link #emit} is queued on the loop for what {@link #onNext} took. */
    private boolean emitScheduled;
    private boolean upstreamDone;
    private Throwable upstreamFailure;
    private boolean finished;

    private CoalescedResponse(HttpResponse upstream, EventExecutor loop, ByteBufAllocator alloc) {
        this.upstream = upstream;
        this.loop = loop;
        this.alloc = alloc;
    }

    /** A decorator that coalesces its service's response chunks on the request's event loop. */
    public static DecoratingHttpServiceFunction decorator() {
        return (delegate, ctx, req) -> of(delegate.serve(ctx, req), ctx.eventLoop().withoutContext(), ctx.alloc());
    }

    /** {@code response}, its chunks coalesced on {@code loop}. */
    static HttpResponse of(HttpResponse response, EventExecutor loop, ByteBufAllocator alloc) {
        return HttpResponse.of(new CoalescedResponse(response, loop, alloc));
    }

    // Publisher side.

    @Override
    public void subscribe(Subscriber<? super HttpObject> subscriber) {
        onLoop(() -> {
            if (downstream != null) {
                subscriber.onSubscribe(this);
                subscriber.onError(new IllegalStateException("only one subscriber"));
                return;
            }
            downstream = subscriber;
            subscriber.onSubscribe(this);
            upstream.subscribe(this, loop, SubscriptionOption.WITH_POOLED_OBJECTS);
        });
    }

    @Override
    public void request(long n) {
        onLoop(() -> {
            if (n <= 0) {
                fail(new IllegalArgumentException("non-positive request: " + n));
                return;
            }
            demand = demand + n < 0 ? Long.MAX_VALUE : demand + n;
            emit();
        });
    }

    @Override
    public void cancel() {
        onLoop(() -> stopTaking(null));
    }

    // Subscriber side (the call's response; signalled on the loop).

    @Override
    public void onSubscribe(Subscription subscription) {
        upstreamSubscription = subscription;
        if (finished) {
            subscription.cancel();
            return;
        }
        askUpstream();
    }

    @Override
    public void onNext(HttpObject object) {
        upstreamOutstanding--;
        if (finished) {
            release(object);
            return;
        }
        if (object instanceof HttpData data) {
            ByteBuf buf = data.byteBuf();
            queuedBytes += buf.readableBytes();
            queue.add(buf);
        } else {
            queue.add(object);
        }
        // Not at once: the call writes a whole burst from one task, and a write that completes
        // within that task would ask for the next message, one by one. The loop runs this after it.
        if (!emitScheduled) {
            emitScheduled = true;
            try {
                loop.execute(this::scheduledEmit);
            } catch (RejectedExecutionException e) { // the loop is shutting down: hand it on now
                scheduledEmit();
            }
        }
    }

    private void scheduledEmit() {
        emitScheduled = false;
        emit();
    }

    @Override
    public void onError(Throwable failure) {
        upstreamDone = true;
        upstreamFailure = failure;
        releaseQueued();
        emit();
    }

    @Override
    public void onComplete() {
        upstreamDone = true;
        emit();
    }

    private void askUpstream() {
        if (asking) {
            return; // called back from within the request below; its loop looks again
        }
        asking = true;
        try {
            while (upstreamOutstanding == 0 && !upstreamDone && !finished && upstreamSubscription != null
                    && queuedBytes < MAX_QUEUED_BYTES) {
                upstreamOutstanding = UPSTREAM_REQUEST;
                upstreamSubscription.request(UPSTREAM_REQUEST);
            }
        } finally {
            asking = false;
        }
    }

    /** Hands on what the connection asked for; ends the response once the queue is empty. */
    private void emit() {
        while (!finished && demand > 0 && !queue.isEmpty()) {
            demand--;
            downstream.onNext(takeNext());
        }
        if (!finished && upstreamDone && queue.isEmpty()) {
            finished = true;
            if (upstreamFailure != null) {
                downstream.onError(upstreamFailure);
            } else {
                downstream.onComplete();
            }
            return;
        }
        askUpstream();
    }

    /** The head of the queue: a header, or every chunk up to the next header as one. */
    private HttpObject takeNext() {
        Object head = queue.poll();
        if (!(head instanceof ByteBuf first)) {
            return (HttpObject) head;
        }
        queuedBytes -= first.readableBytes();
        if (!(queue.peek() instanceof ByteBuf)) {
            return HttpData.wrap(first);
        }
        // Copied into one buffer rather than composed: a composite of ~1,000 small composites
        // (each message is Armeria's header + body) cost more to hand to the socket (iovec
        // walks, direct-buffer checks per component) than the copy, on the fan-out profile.
        int chunks = 1;
        int bytes = first.readableBytes();
        for (Object next : queue) {
            if (chunks == MAX_CHUNKS_PER_WRITE || !(next instanceof ByteBuf buf)) {
                break;
            }
            chunks++;
            bytes += buf.readableBytes();
        }
        ByteBuf merged = alloc.directBuffer(bytes);
        merged.writeBytes(first);
        first.release();
        for (int i = 1; i < chunks; i++) {
            ByteBuf chunk = (ByteBuf) queue.poll();
            queuedBytes -= chunk.readableBytes();
            merged.writeBytes(chunk);
            chunk.release();
        }
        return HttpData.wrap(merged);
    }

    private void fail(Throwable failure) {
        if (stopTaking(failure)) {
            downstream.onError(failure);
        }
    }

    /**
     * Ends the response early: drops what is queued and cancels the call's response (aborts it, with
     * {@code cause} if any, when not yet subscribed). False when it had already ended.
     */
    private boolean stopTaking(Throwable cause) {
        if (finished) {
            return false;
        }
        finished = true;
        releaseQueued();
        if (upstreamSubscription != null) {
            upstreamSubscription.cancel();
        } else if (cause != null) {
            upstream.abort(cause);
        } else {
            upstream.abort();
        }
        return true;
    }

    private void releaseQueued() {
        Object queued;
        while ((queued = queue.poll()) != null) {
            if (queued instanceof ByteBuf buf) {
                buf.release();
            }
        }
        queuedBytes = 0;
    }

    private static void release(HttpObject object) {
        if (object instanceof HttpData data) {
            data.close();
        }
    }

    private void onLoop(Runnable task) {
        if (loop.inEventLoop()) {
            task.run();
            return;
        }
        try {
            loop.execute(task);
        } catch (RejectedExecutionException e) { // the loop has stopped: nothing else runs on it
            task.run();
        }
    }
}
