package io.etcdj.server.lease;

import static org.assertj.core.api.Assertions.assertThat;

import io.etcdj.api.etcdserverpb.LeaseCheckpoint;
import io.etcdj.api.etcdserverpb.LeaseCheckpointRequest;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** Checkpoint scheduling, the renew that clears a checkpoint, and promotion, on a fake clock. */
class LessorCheckpointTest {

    private final AtomicLong now = new AtomicLong(7_000_000_000L);
    private final Lessor lessor = new Lessor(now::get, 2, TimeUnit.SECONDS.toNanos(10));
    private final List<LeaseCheckpointRequest> proposed = new ArrayList<>();
    private final List<CompletableFuture<Object>> answers = new ArrayList<>();

    LessorCheckpointTest() {
        lessor.setCheckpointer(request -> {
            proposed.add(request);
            CompletableFuture<Object> answer = new CompletableFuture<>();
            answers.add(answer);
            return answer;
        });
    }

    private void advanceSeconds(double seconds) {
        now.addAndGet((long) (seconds * 1e9));
    }

    private static List<Long> remaining(List<LeaseCheckpoint> checkpoints) {
        return checkpoints.stream().map(LeaseCheckpoint::getRemainingTTL).toList();
    }

    @Test
    void dueOneIntervalAfterGrantWithTheRemainingTtlRoundedUp() {
        lessor.promote();
        lessor.granted(1, 60);
        advanceSeconds(9.9);
        assertThat(lessor.dueCheckpoints(100)).isEmpty();
        advanceSeconds(0.4);
        List<LeaseCheckpoint> due = lessor.dueCheckpoints(100);
        assertThat(due).extracting(LeaseCheckpoint::getID).containsExactly(1L);
        assertThat(remaining(due)).as("49.7 s left is recorded as 50: a restart never shortens a lease").containsExactly(50L);
        assertThat(lessor.dueCheckpoints(100)).isEmpty();
        advanceSeconds(10);
        assertThat(remaining(lessor.dueCheckpoints(100))).containsExactly(40L);
    }

    @Test
    void aFollowerSchedulesNothingAndAFreshlyRenewedLeaseIsSkippedButStaysScheduled() {
        lessor.granted(1, 60);
        advanceSeconds(20);
        assertThat(lessor.dueCheckpoints(100)).as("not primary").isEmpty();
        lessor.promote();
        advanceSeconds(9.5);
        lessor.renew(1);
        advanceSeconds(0.5);
        assertThat(lessor.dueCheckpoints(100)).as("full TTL left: nothing to record").isEmpty();
        advanceSeconds(10);
        assertThat(remaining(lessor.dueCheckpoints(100))).containsExactly(50L);
        lessor.demote();
        advanceSeconds(10);
        assertThat(lessor.dueCheckpoints(100)).as("demoted").isEmpty();
    }

    @Test
    void promoteCountsDownFromTheCheckpointButNeverBeyondTheTtl() {
        lessor.granted(1, 60);
        lessor.granted(2, 60);
        lessor.granted(3, 60);
        lessor.checkpointed(1, 25);
        lessor.checkpointed(3, 600); // a corrupt or foreign record cannot lengthen a lease
        advanceSeconds(100);
        lessor.promote();
        assertThat(lessor.timeToLive(1).orElseThrow().remainingSeconds()).isEqualTo(25);
        assertThat(lessor.timeToLive(2).orElseThrow().remainingSeconds()).isEqualTo(60);
        assertThat(lessor.timeToLive(3).orElseThrow().remainingSeconds()).isEqualTo(60);
        advanceSeconds(25);
        assertThat(lessor.expired(10)).containsExactly(1L);
    }

    @Test
    void aKeepAliveWithoutARecordedCheckpointAnswersAtOnce() {
        lessor.promote();
        lessor.granted(1, 60);
        advanceSeconds(5);
        CompletableFuture<Long> ttl = lessor.keepAlive(1);
        assertThat(ttl).isCompletedWithValue(60L);
        assertThat(proposed).isEmpty();
        assertThat(lessor.keepAlive(2)).isCompletedWithValue(0L);
    }

    @Test
    void aKeepAliveClearsARecordedCheckpointThroughRaftBeforeAnswering() {
        lessor.promote();
        lessor.granted(1, 60);
        lessor.checkpointed(1, 30);
        CompletableFuture<Long> ttl = lessor.keepAlive(1);
        assertThat(proposed).hasSize(1);
        assertThat(proposed.get(0).getCheckpointsList()).containsExactly(
                LeaseCheckpoint.newBuilder().setID(1).setRemainingTTL(0).build());
        assertThat(ttl).as("waits for the clearing entry to apply").isNotDone();
        lessor.checkpointed(1, 0);
        answers.get(0).complete(null);
        assertThat(ttl).isCompletedWithValue(60L);
        assertThat(lessor.checkpointedSeconds(1)).isZero();
        assertThat(lessor.keepAlive(1)).as("nothing recorded any more").isCompletedWithValue(60L);
        assertThat(proposed).hasSize(1);
    }

    @Test
    void aKeepAliveAlsoClearsACheckpointStillInFlight() {
        lessor.promote();
        lessor.granted(1, 60);
        advanceSeconds(10);
        assertThat(lessor.dueCheckpoints(100)).hasSize(1); // proposed, not applied yet
        lessor.keepAlive(1);
        assertThat(proposed).as("the in-flight checkpoint would apply after the renewal").hasSize(1);
    }

    @Test
    void aFailedClearFailsTheKeepAlive() {
        lessor.promote();
        lessor.granted(1, 60);
        lessor.checkpointed(1, 30);
        CompletableFuture<Long> ttl = lessor.keepAlive(1);
        answers.get(0).completeExceptionally(new IllegalStateException("no leader"));
        assertThat(ttl).isCompletedExceptionally();
    }
}
