package io.etcdj.server.etcdserver;

import java.util.Queue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.LongSupplier;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * etcd's request timeout for every request of one member, on one sweeper thread instead of one
 * timer per request.
 *
 * <p>Why: {@code CompletableFuture.orTimeout} schedules a task on the JDK's shared delay scheduler
 * for every request and cancels it when the answer comes. With one request in flight that task is
 * always the scheduler's earliest, so each request wakes the scheduler thread twice (measured with
 * strace: two futex calls per put on that thread alone), which on two busy cores costs more than
 * the timer is worth. All requests of a member have the same timeout, so their deadlines arrive in
 * the order the requests did: a FIFO queue is already sorted, and one thread that wakes every
 * {@link #SWEEP_NANOS} and looks only at the head expires them. A request therefore times out
 * between its deadline and one sweep later (timeouts are seconds; a sweep is 50 ms).
 *
 * <p>An answered request stays queued until it reaches the head (at most one timeout's worth of
 * requests: a few small objects each).
 */
final class RequestDeadlines implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(RequestDeadlines.class);
    /** How often the sweeper looks at the head of the queue. */
    static final long SWEEP_NANOS = TimeUnit.MILLISECONDS.toNanos(50);

    private record Pending(long deadlineNanos, CompletableFuture<?> answer, Runnable onTimeout,
            Supplier<? extends Throwable> error) {
    }

    private final long timeoutNanos;
    private final LongSupplier nanoClock;
    private final Queue<Pending> queue = new ConcurrentLinkedQueue<>();
    private final Thread sweeper;
    private volatile boolean running = true;

    RequestDeadlines(long timeoutMillis, LongSupplier nanoClock) {
        if (timeoutMillis <= 0) {
            throw new IllegalArgumentException("timeout must be positive: " + timeoutMillis);
        }
        this.timeoutNanos = TimeUnit.MILLISECONDS.toNanos(timeoutMillis);
        this.nanoClock = nanoClock;
        this.sweeper = Thread.ofPlatform().name("etcd-request-deadlines").daemon(true).unstarted(this::run);
    }

    /** Starts the sweeper thread (tests call {@link #sweep} themselves instead). */
    RequestDeadlines start() {
        sweeper.start();
        return this;
    }

    /**
     * Fails {@code answer} with {@code error} if it is still pending one timeout from now, running
     * {@code onTimeout} first (e.g. to forget the request's waiter). Returns {@code answer}.
     */
    <T> CompletableFuture<T> expire(CompletableFuture<T> answer, Runnable onTimeout,
            Supplier<? extends Throwable> error) {
        if (!answer.isDone()) {
            queue.add(new Pending(nanoClock.getAsLong() + timeoutNanos, answer, onTimeout, error));
        }
        return answer;
    }

    /** Pending requests still queued (answered ones included until the sweeper drops them). */
    int queued() {
        return queue.size();
    }

    /** One sweep at {@code now}: drops answered requests and expires overdue ones from the head. */
    void sweep(long now) {
        for (Pending head; (head = queue.peek()) != null; ) {
            if (!head.answer().isDone() && now - head.deadlineNanos() < 0) {
                return;
            }
            queue.poll();
            if (!head.answer().isDone()) {
                try {
                    head.onTimeout().run();
                } finally {
                    head.answer().completeExceptionally(head.error().get());
                }
            }
        }
    }

    private void run() {
        while (running) {
            LockSupport.parkNanos(this, SWEEP_NANOS);
            try {
                sweep(nanoClock.getAsLong());
            } catch (RuntimeException e) {
                log.atError().setCause(e).log("request timeout handler failed: {}", e.getMessage());
            }
        }
    }

    @Override
    public void close() {
        running = false;
        LockSupport.unpark(sweeper);
    }
}
