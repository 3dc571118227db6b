package io.etcdj.benchmarks.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.etcdj.api.mvccpb.Event;
import io.etcdj.api.mvccpb.KeyValue;
import java.time.Duration;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class WatchReportMathTest {

    /** Brute force: watcher i sees put j when they hit the same key (i mod k == j mod k). */
    private static long bruteForce(int keys, int streams, int perStream, long puts) {
        long n = 0;
        for (int i = 0; i < streams * perStream; i++) {
            for (long j = 0; j < puts; j++) {
                n += i % keys == j % keys ? 1 : 0;
            }
        }
        return n;
    }

    @Test
    void expectedEventsMatchesBruteForceIncludingUnevenSplits() {
        assertThat(WatchCommand.expectedEvents(2, 3, 4, 10)).isEqualTo(60);
        assertThat(WatchCommand.expectedEvents(3, 2, 5, 7)).isEqualTo(24); // watchers 4,3,3 x puts 3,2,2
        SplittableRandom r = new SplittableRandom(3);
        for (int t = 0; t < 200; t++) {
            int keys = 1 + r.nextInt(7);
            int streams = 1 + r.nextInt(5);
            int per = 1 + r.nextInt(6);
            long puts = r.nextInt(30);
            assertThat(WatchCommand.expectedEvents(keys, streams, per, puts)).as("k=%d s=%d w=%d p=%d",
                    keys, streams, per, puts).isEqualTo(bruteForce(keys, streams, per, puts));
        }
        // Negative control: "every watcher sees every put" is the planted wrong rule; it must differ.
        assertThat(3L * 10 * 7).isNotEqualTo(WatchCommand.expectedEvents(3, 2, 5, 7));
    }

    @Test
    void watchedKeysCycleOverTheKeySpaceLikeEtcdsTool() {
        Keys keys = new Keys(32, 2, true);
        var watched = WatchCommand.watchedKeys(keys, 3, new SplittableRandom(1));
        assertThat(watched[0]).isEqualTo(keys.key(0));
        assertThat(watched[1]).isEqualTo(keys.key(1));
        assertThat(watched[2]).isEqualTo(keys.key(0));
        assertThat(watched[0].size()).isEqualTo(32);
    }

    @Test
    void sendTimeRoundTripsAndForeignValuesCarryNone() {
        assertThat(WatchCommand.sendTimeOf(WatchCommand.sendTime(123_456_789_012L))).isEqualTo(123_456_789_012L);
        assertThat(WatchCommand.sendTimeOf(com.google.protobuf.ByteString.copyFromUtf8("data"))).isEqualTo(-1);
    }

    private static Event put(long sentNanos) {
        return Event.newBuilder().setKv(KeyValue.newBuilder().setValue(WatchCommand.sendTime(sentNanos))).build();
    }

    @Test
    void eventCounterRecordsDelayFromSendAndFinishesOnTheLastEvent() {
        WatchCommand.EventCounter c = new WatchCommand.EventCounter(3, 2);
        c.onEvents(0, List.of(put(100), put(200)), 1_000);
        assertThat(c.missing()).isEqualTo(1);
        c.onEvents(1, List.of(put(900)), 1_000);
        assertThat(c.missing()).isZero();
        c.await(Duration.ZERO); // already done: returns at once
        assertThat(c.latencies()).containsExactlyInAnyOrder(900, 800, 100);
        assertThat(c.receivedBy(0)).isEqualTo(2);
        assertThat(c.receivedBy(1)).isEqualTo(1);
    }

    @Test
    void forgivenEventsOfFailedPutsAreNotCountedMissing() {
        WatchCommand.EventCounter c = new WatchCommand.EventCounter(10, 5);
        c.onEvents(0, List.of(put(1)), 2);
        c.forgive(5);
        assertThat(c.missing()).isEqualTo(4);
        assertThatThrownBy(() -> new WatchCommand.EventCounter(LoadRunner.MAX_TOTAL + 1, 1))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void watchLatencyMatchesTheNthEventToTheNthPutAndClampsEarlyOnes() {
        WatchLatencyCommand.Arrivals a = new WatchLatencyCommand.Arrivals(2, 3);
        Event e = Event.getDefaultInstance();
        a.onEvents(0, List.of(e, e), 1_000);   // puts 0 and 1
        a.onEvents(0, List.of(e), 3_000);      // put 2
        a.onEvents(1, List.of(e), 150);        // put 0 "before" it was sent (clock skew cannot happen; clamped)
        assertThat(a.missing()).isEqualTo(2);
        long[] putStart = {200, 900, 2_500};
        assertThat(a.latencies(putStart)).containsExactly(800, 100, 500, 0);
        // Extra events beyond put-total are ignored rather than overflowing.
        a.onEvents(0, List.of(e, e), 9_000);
        assertThat(a.latencies(putStart)).hasSize(4);
    }
}
