package io.etcdj.server.lease;

import static org.assertj.core.api.Assertions.assertThat;

import io.etcdj.api.etcdserverpb.LeaseCheckpoint;
import io.etcdj.api.etcdserverpb.LeaseCheckpointRequest;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** The leader's loop on a fake clock, one {@code check()} per simulated 500 ms. */
class ExpiryCheckerTest {

    private final AtomicLong now = new AtomicLong();
    private final Lessor lessor = new Lessor(now::get, 2, TimeUnit.SECONDS.toNanos(10));
    private final AtomicBoolean leader = new AtomicBoolean(true);
    private final List<Long> proposed = new ArrayList<>();
    private final List<LeaseCheckpointRequest> checkpoints = new ArrayList<>();
    private final ExpiryChecker checker = new ExpiryChecker(lessor, leader::get, proposed::add, cp -> {
        checkpoints.add(cp);
        return CompletableFuture.completedFuture(null);
    });

    private void advanceMillis(long millis) {
        now.addAndGet(millis * 1_000_000L);
    }

    @Test
    void proposesRevokeOnlyAfterTheTtl() {
        checker.check();
        lessor.granted(5, 3);
        for (int i = 0; i < 5; i++) {
            advanceMillis(500);
            assertThat(checker.check()).isZero();
        }
        advanceMillis(500);
        assertThat(checker.check()).isOne();
        assertThat(proposed).containsExactly(5L);
    }

    @Test
    void revokesAtMostAThousandPerSecond() {
        for (long id = 1; id <= 2_500; id++) {
            lessor.granted(id, 2);
        }
        checker.check();
        advanceMillis(2_000);
        assertThat(checker.check()).isEqualTo(500);
        advanceMillis(500);
        assertThat(checker.check()).isEqualTo(500);
        assertThat(proposed).hasSize(1_000).doesNotHaveDuplicates();
    }

    @Test
    void aFollowerProposesNothingAndANewLeaderRefreshesEveryLease() {
        lessor.granted(5, 2);
        leader.set(false);
        advanceMillis(10_000);
        assertThat(checker.check()).isZero();
        leader.set(true);
        assertThat(checker.check()).as("refreshed on gaining leadership").isZero();
        advanceMillis(2_000);
        assertThat(checker.check()).isOne();
    }

    @Test
    void negativeControlWithoutThePromoteAnOldLeaseWouldBeRevokedAtOnce() {
        lessor.granted(5, 2);
        advanceMillis(10_000);
        assertThat(lessor.expired(10)).containsExactly(5L);
    }

    @Test
    void checkpointsAreProposedEachIntervalInBatchesOfAThousand() {
        checker.check(); // promote
        for (long id = 1; id <= 2_500; id++) {
            lessor.granted(id, 60);
        }
        lessor.granted(9_999, 10); // TTL not above the interval: never checkpointed
        advanceMillis(9_500);
        checker.check();
        assertThat(checkpoints).isEmpty();
        advanceMillis(500);
        checker.check();
        assertThat(checkpoints).extracting(LeaseCheckpointRequest::getCheckpointsCount).containsExactly(1_000, 1_000, 500);
        assertThat(checkpoints).flatExtracting(LeaseCheckpointRequest::getCheckpointsList)
                .extracting(LeaseCheckpoint::getRemainingTTL).containsOnly(50L);
        assertThat(checkpoints).flatExtracting(LeaseCheckpointRequest::getCheckpointsList)
                .extracting(LeaseCheckpoint::getID).doesNotContain(9_999L).doesNotHaveDuplicates();
        checkpoints.clear();
        advanceMillis(5_000);
        checker.check();
        assertThat(checkpoints).as("not again before the next interval").isEmpty();
        advanceMillis(5_000);
        checker.check();
        assertThat(checkpoints).flatExtracting(LeaseCheckpointRequest::getCheckpointsList)
                .extracting(LeaseCheckpoint::getRemainingTTL).hasSize(2_500).containsOnly(40L);
    }

    @Test
    void losingLeadershipStopsCheckpointsAndANewTermCountsDownFromTheCheckpoint() {
        checker.check();
        lessor.granted(1, 60);
        advanceMillis(10_000);
        checker.check();
        assertThat(checkpoints).hasSize(1);
        lessor.checkpointed(1, 50); // the entry applied
        leader.set(false);
        checker.check();
        advanceMillis(30_000);
        checker.check();
        assertThat(checkpoints).as("a follower proposes no checkpoints").hasSize(1);
        leader.set(true);
        checker.check();
        assertThat(lessor.timeToLive(1).orElseThrow().remainingSeconds()).as("from the checkpoint, not 60").isEqualTo(50);
    }

    @Test
    void shutdownCheckpointsEveryLeaseThatCountedDownAndWaitsForThem() {
        checker.check();
        lessor.granted(1, 60);
        lessor.granted(2, 5); // shorter than the interval, still recorded at shutdown
        lessor.granted(3, 60);
        advanceMillis(2_500);
        lessor.renew(3);
        assertThat(checker.checkpointAll(1_000)).isEqualTo(2);
        assertThat(checkpoints).hasSize(1);
        assertThat(checkpoints.get(0).getCheckpointsList()).extracting(LeaseCheckpoint::getID, LeaseCheckpoint::getRemainingTTL)
                .containsExactly(org.assertj.core.groups.Tuple.tuple(1L, 58L), org.assertj.core.groups.Tuple.tuple(2L, 3L));
    }

    @Test
    void shutdownCheckpointsNothingWhenCheckpointingIsOff() {
        Lessor off = new Lessor(now::get, 2);
        ExpiryChecker offChecker = new ExpiryChecker(off, leader::get, proposed::add, cp -> {
            checkpoints.add(cp);
            return CompletableFuture.completedFuture(null);
        });
        offChecker.check();
        off.granted(1, 60);
        advanceMillis(20_000);
        offChecker.check();
        assertThat(offChecker.checkpointAll(1_000)).isZero();
        assertThat(checkpoints).isEmpty();
    }
}
