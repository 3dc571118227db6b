package io.etcdj.server.concurrency;

import io.grpc.Status;
import io.grpc.stub.ServerCallStreamObserver;
import io.grpc.stub.StreamObserver;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs each recipe call on a virtual thread of its own, so a Lock or Campaign that waits minutes
 * for its turn holds no gRPC event-loop thread. The client cancelling the call (or its deadline
 * passing, or the connection dropping) interrupts that thread; closing interrupts every call
 * still running. A streaming call's sends wait for gRPC flow control, so a client that does not
 * read stops its Observe instead of filling the heap.
 */
final class BlockingCalls implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(BlockingCalls.class);
    /** How long a send waits for a readiness signal before looking at the call again. */
    private static final long READY_RECHECK_MILLIS = 100;

    /** A unary call's work; an interrupt means the client went away. */
    interface Unary<T> {
        T run() throws InterruptedException;
    }

    /** A server-streaming call's work, sending through {@code sink}. */
    interface Streaming<T> {
        void run(Sink<T> sink) throws InterruptedException;
    }

    /** Where a streaming call's messages go; blocks while the client is not ready for more. */
    interface Sink<T> {
        void send(T message) throws InterruptedException;
    }

    private final String service;
    private final Set<Thread> running = ConcurrentHashMap.newKeySet();
    private final AtomicLong started = new AtomicLong();
    private volatile boolean closed;

    BlockingCalls(String service) {
        this.service = service;
    }

    <T> void unary(StreamObserver<T> out, Unary<T> work) {
        start(out, () -> {
            T answer = work.run();
            out.onNext(answer);
            out.onCompleted();
        });
    }

    <T> void streaming(StreamObserver<T> out, Streaming<T> work) {
        Semaphore ready = new Semaphore(0);
        ServerCallStreamObserver<T> call = out instanceof ServerCallStreamObserver<T> c ? c : null;
        if (call != null) {
            call.setOnReadyHandler(ready::release);
        }
        start(out, () -> {
            work.run(message -> {
                while (call != null && !call.isReady() && !call.isCancelled()) {
                    ready.tryAcquire(READY_RECHECK_MILLIS, TimeUnit.MILLISECONDS);
                }
                out.onNext(message);
            });
            out.onCompleted();
        });
    }

    /** Number of calls still running, for tests. */
    int running() {
        return running.size();
    }

    @Override
    public void close() {
        closed = true;
        running.forEach(Thread::interrupt);
    }

    private interface Work {
        void run() throws InterruptedException;
    }

    private <T> void start(StreamObserver<T> out, Work work) {
        if (closed) {
            out.onError(Status.UNAVAILABLE.withDescription("etcdserver: server stopped").asRuntimeException());
            return;
        }
        Thread thread = Thread.ofVirtual().name(service + "-" + started.incrementAndGet()).unstarted(() -> {
            try {
                work.run();
            } catch (InterruptedException e) {
                answerError(out, Status.CANCELLED.withDescription("context canceled").asRuntimeException());
            } catch (RuntimeException e) {
                answerError(out, RecipeErrors.toStatus(e));
            } finally {
                running.remove(Thread.currentThread());
            }
        });
        if (out instanceof ServerCallStreamObserver<T> call) {
            call.setOnCancelHandler(thread::interrupt);
        }
        running.add(thread);
        thread.start();
        if (closed) {
            thread.interrupt(); // close() ran between the check above and the add
        }
    }

    private static <T> void answerError(StreamObserver<T> out, RuntimeException error) {
        try {
            out.onError(error);
        } catch (RuntimeException e) {
            log.atDebug().log("call already ended: {}", e.getMessage()); // cancelled by the client
        }
    }
}
