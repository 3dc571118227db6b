package io.etcdj.server.lease;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** The leader's sweep on a fake clock, one {@code check()} per simulated 500 ms. */
class ExpiryCheckerTest {

    private final AtomicLong now = new AtomicLong();
    private final Lessor lessor = new Lessor(now::get, 2);
    private final AtomicBoolean leader = new AtomicBoolean(true);
    private final List<Long> proposed = new ArrayList<>();
    private final ExpiryChecker checker = new ExpiryChecker(lessor, leader::get, proposed::add, true);

    private void advanceMillis(long millis) {
        now.addAndGet(millis * 1_000_000L);
    }

    @Test
    void proposesRevokeOnlyAfterTheTtl() {
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
    void negativeControlWithoutTheRefreshANewLeaderWouldRevokeAtOnce() {
        ExpiryChecker alreadyLeading = new ExpiryChecker(lessor, leader::get, proposed::add, true);
        lessor.granted(5, 2);
        advanceMillis(10_000);
        assertThat(alreadyLeading.check()).isOne();
    }
}
