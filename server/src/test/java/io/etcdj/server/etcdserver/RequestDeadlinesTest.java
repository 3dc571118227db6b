package io.etcdj.server.etcdserver;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** The sweeper is driven by hand with a fake clock: no thread, no waiting. */
class RequestDeadlinesTest {

    private static final long TIMEOUT_NANOS = TimeUnit.MILLISECONDS.toNanos(7_000);

    private final AtomicLong now = new AtomicLong(1_000);
    private final RequestDeadlines deadlines = new RequestDeadlines(7_000, now::get);
    private final AtomicInteger timeouts = new AtomicInteger();

    @Test
    void aPendingRequestFailsExactlyAtItsDeadlineAndRunsItsTimeoutAction() {
        CompletableFuture<String> answer = deadlines.expire(new CompletableFuture<>(), timeouts::incrementAndGet,
                () -> new IllegalStateException("timed out"));

        deadlines.sweep(1_000 + TIMEOUT_NANOS - 1);
        assertThat(answer).isNotDone();
        assertThat(timeouts).hasValue(0);

        deadlines.sweep(1_000 + TIMEOUT_NANOS);
        assertThat(answer).isCompletedExceptionally();
        assertThat(timeouts).hasValue(1);
        assertThat(deadlines.queued()).isZero();
        try {
            answer.get();
        } catch (ExecutionException | InterruptedException e) {
            assertThat(e.getCause()).hasMessage("timed out");
        }
    }

    @Test
    void anAnsweredRequestIsNeverFailedAndLeavesTheQueue() {
        CompletableFuture<String> answer = deadlines.expire(new CompletableFuture<>(), timeouts::incrementAndGet,
                () -> new IllegalStateException("timed out"));
        answer.complete("ok");

        deadlines.sweep(1_000 + 10 * TIMEOUT_NANOS);
        assertThat(answer).isCompletedWithValue("ok");
        assertThat(timeouts).hasValue(0);
        assertThat(deadlines.queued()).isZero();
    }

    @Test
    void requestsExpireInArrivalOrderEachAtItsOwnDeadline() {
        CompletableFuture<String> first = deadlines.expire(new CompletableFuture<>(), timeouts::incrementAndGet,
                () -> new IllegalStateException("first"));
        now.addAndGet(TimeUnit.SECONDS.toNanos(1));
        CompletableFuture<String> second = deadlines.expire(new CompletableFuture<>(), timeouts::incrementAndGet,
                () -> new IllegalStateException("second"));

        deadlines.sweep(1_000 + TIMEOUT_NANOS);
        assertThat(first).isCompletedExceptionally();
        assertThat(second).as("arrived a second later: one second left").isNotDone();
        assertThat(deadlines.queued()).isEqualTo(1);

        second.complete("answered in time");
        deadlines.sweep(1_000 + TIMEOUT_NANOS + 1);
        assertThat(second).isCompletedWithValue("answered in time");
        assertThat(timeouts).hasValue(1);
        assertThat(deadlines.queued()).isZero();
    }

    @Test
    void anAlreadyAnsweredRequestIsNotQueued() {
        deadlines.expire(CompletableFuture.completedFuture("done"), timeouts::incrementAndGet,
                () -> new IllegalStateException("timed out"));
        assertThat(deadlines.queued()).isZero();
    }
}
