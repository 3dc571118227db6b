package io.etcdj.server.v3rpc;

import io.grpc.stub.ServerCallStreamObserver;
import io.grpc.stub.StreamObserver;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * gRPC flow control for a server stream written from a thread that may block (a virtual thread):
 * {@link #awaitReady()} parks the writer until the transport can take another message, so a client
 * that reads slowly makes the server wait instead of buffering the whole stream in memory.
 *
 * <p>Must be created inside the service method, before it returns: gRPC only accepts the ready and
 * cancel handlers during that initial call.
 */
final class StreamReadiness {

    /** Re-check interval; the handlers wake the writer at once, this only bounds a missed signal. */
    private static final long RECHECK_MILLIS = 200;

    private final ServerCallStreamObserver<?> call;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition changed = lock.newCondition();
    private volatile boolean cancelled;

    private StreamReadiness(ServerCallStreamObserver<?> call) {
        this.call = call;
        call.setOnReadyHandler(this::signal);
        call.setOnCancelHandler(() -> {
            cancelled = true;
            signal();
        });
    }

    /**
     * The readiness of {@code responses}, or {@code null} when it is not a server call (a plain
     * observer in a test), in which case the caller writes without waiting.
     */
    static StreamReadiness of(StreamObserver<?> responses) {
        return responses instanceof ServerCallStreamObserver<?> call ? new StreamReadiness(call) : null;
    }

    /** Waits until the stream takes another message; false once the client has gone away. */
    boolean awaitReady() throws InterruptedException {
        lock.lock();
        try {
            while (!cancelled && !call.isReady()) {
                changed.await(RECHECK_MILLIS, TimeUnit.MILLISECONDS);
            }
            return !cancelled;
        } finally {
            lock.unlock();
        }
    }

    boolean cancelled() {
        return cancelled;
    }

    private void signal() {
        lock.lock();
        try {
            changed.signalAll();
        } finally {
            lock.unlock();
        }
    }
}
