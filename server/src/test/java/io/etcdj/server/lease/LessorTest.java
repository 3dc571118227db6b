package io.etcdj.server.lease;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import io.etcdj.api.mvccpb.Event;
import io.etcdj.api.mvccpb.KeyValue;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** The lessor's in-memory rules on a fake clock: TTLs, keep-alives, expiry, key attachment. */
class LessorTest {

    private final AtomicLong now = new AtomicLong(1_000_000_000L);
    private final Lessor lessor = new Lessor(now::get, 2);

    private void advanceSeconds(double seconds) {
        now.addAndGet((long) (seconds * 1e9));
    }

    @Test
    void minimumTtlIsOneAndAHalfElectionTimeoutsRoundedUpToSeconds() {
        assertThat(Lessor.minTtlSeconds(1000)).isEqualTo(2);
        assertThat(Lessor.minTtlSeconds(100)).isEqualTo(1);
        assertThat(Lessor.minTtlSeconds(2000)).isEqualTo(3);
        assertThat(Lessor.minTtlSeconds(5000)).isEqualTo(8);
    }

    @Test
    void timeToLiveCountsDownAndKeepAliveRefreshesToTheGrantedTtl() {
        lessor.granted(7, 10);
        assertThat(lessor.timeToLive(7).orElseThrow().remainingSeconds()).isEqualTo(10);
        advanceSeconds(3.5);
        LeaseView view = lessor.timeToLive(7).orElseThrow();
        assertThat(view.remainingSeconds()).isEqualTo(6); // 6.5 s left, truncated as etcd does
        assertThat(view.grantedTtlSeconds()).isEqualTo(10);

        assertThat(lessor.renew(7).ttlSeconds()).isEqualTo(10);
        assertThat(lessor.timeToLive(7).orElseThrow().remainingSeconds()).isEqualTo(10);
        assertThat(lessor.renew(8).ttlSeconds()).isZero();
        assertThat(lessor.timeToLive(8)).isEmpty();
    }

    @Test
    void anExpiredLeaseCannotBeKeptAliveAndIsHandedOutOncePerRetryInterval() {
        lessor.granted(1, 5);
        lessor.granted(2, 60);
        advanceSeconds(4.9);
        assertThat(lessor.expired(10)).isEmpty();
        advanceSeconds(0.1);
        assertThat(lessor.renew(1).ttlSeconds()).isZero();
        assertThat(lessor.expired(10)).containsExactly(1L);
        assertThat(lessor.expired(10)).as("not handed out twice within the retry interval").isEmpty();
        advanceSeconds(3);
        assertThat(lessor.expired(10)).as("a lost revoke proposal is retried").containsExactly(1L);
    }

    @Test
    void expiredHonoursTheLimitInIdOrder() {
        for (long id = 10; id > 0; id--) {
            lessor.granted(id, 2);
        }
        advanceSeconds(2);
        assertThat(lessor.expired(3)).containsExactly(1L, 2L, 3L);
        assertThat(lessor.expired(3)).containsExactly(4L, 5L, 6L);
    }

    @Test
    void promoteGivesEveryLeaseWithoutACheckpointItsFullTtlAgain() {
        lessor.granted(1, 5);
        advanceSeconds(10);
        lessor.promote();
        assertThat(lessor.expired(10)).isEmpty();
        assertThat(lessor.timeToLive(1).orElseThrow().remainingSeconds()).isEqualTo(5);
    }

    @Test
    void expiredHandsOutTheEarliestExpiryFirst() {
        lessor.granted(9, 3);
        lessor.granted(1, 10);
        lessor.granted(5, 5);
        advanceSeconds(10);
        assertThat(lessor.expired(10)).containsExactly(9L, 5L, 1L);
    }

    @Test
    void aRenewalMovesTheLeaseBackInTheHeap() {
        lessor.granted(1, 5);
        lessor.granted(2, 5);
        advanceSeconds(4);
        lessor.renew(1);
        advanceSeconds(1.5);
        assertThat(lessor.expired(10)).containsExactly(2L);
        advanceSeconds(4); // lease 1 expired at 9 s, lease 2's retry fell due at 8.5 s
        assertThat(lessor.expired(10)).containsExactly(2L, 1L);
    }

    @Test
    void aRevokedLeaseIsNeverHandedOutAndARegrantedIdUsesItsNewExpiry() {
        lessor.granted(1, 5);
        lessor.revoked(1);
        lessor.granted(1, 20);
        advanceSeconds(6);
        assertThat(lessor.expired(10)).isEmpty();
        advanceSeconds(14);
        assertThat(lessor.expired(10)).containsExactly(1L);
    }

    @Test
    void staleHeapEntriesFromRenewalsStayBounded() {
        lessor.granted(1, 3_600);
        for (int i = 0; i < 10_000; i++) {
            advanceSeconds(0.001);
            lessor.renew(1);
        }
        assertThat(lessor.expiryQueue().size()).isLessThanOrEqualTo(2 + DueQueue.SLACK + 1);
        advanceSeconds(3_600);
        assertThat(lessor.expired(10)).containsExactly(1L);
    }

    @Test
    void aSweepOverAHundredThousandLeasesLooksOnlyAtTheDueOnes() {
        for (long id = 1; id <= 100_000; id++) {
            lessor.granted(id, id <= 10 ? 2 : 3_600);
        }
        advanceSeconds(2);
        long before = lessor.expiryQueue().inspected();
        assertThat(lessor.expired(500)).hasSize(10);
        assertThat(lessor.expiryQueue().inspected() - before).as("10 due + the first one that is not").isEqualTo(11);
        before = lessor.expiryQueue().inspected();
        assertThat(lessor.expired(500)).isEmpty();
        assertThat(lessor.expiryQueue().inspected() - before).isEqualTo(1);
    }

    @Test
    void keysFollowTheLeaseOfTheirNewestVersion() {
        lessor.granted(1, 60);
        lessor.granted(2, 60);
        lessor.onRevision(2, List.of(put("a", 1, null), put("b", 1, null)));
        assertThat(lessor.keys(1)).extracting(ByteString::toStringUtf8).containsExactly("a", "b");

        lessor.onRevision(3, List.of(put("a", 2, kv("a", 1))));
        lessor.onRevision(4, List.of(put("b", 0, kv("b", 1))));
        assertThat(lessor.keys(1)).isEmpty();
        assertThat(lessor.keys(2)).extracting(ByteString::toStringUtf8).containsExactly("a");

        lessor.onRevision(5, List.of(Event.newBuilder().setType(Event.EventType.DELETE)
                .setKv(KeyValue.newBuilder().setKey(ByteString.copyFromUtf8("a"))).setPrevKv(kv("a", 2)).build()));
        assertThat(lessor.keys(2)).isEmpty();
        assertThat(lessor.timeToLive(2).orElseThrow().keys()).isEmpty();
    }

    @Test
    void aPutWithAnUnknownLeaseAttachesNothing() {
        lessor.onRevision(2, List.of(put("a", 9, null)));
        assertThat(lessor.ids()).isEmpty();
        assertThat(lessor.exists(9)).isFalse();
    }

    @Test
    void leaseRecordsUseEtcdsLeasepbEncoding() {
        byte[] encoded = Lessor.encode(0x1234, 60);
        // field 1 varint 0x1234, field 2 varint 60
        assertThat(encoded).containsExactly(0x08, 0xb4, 0x24, 0x10, 60);
        assertThat(Lessor.decode(encoded)).containsExactly(0x1234, 60, 0);
        // RemainingTTL is field 3, written only when not 0 (proto3), as etcd's checkpointing writes it
        assertThat(Lessor.encode(5, 10, 3)).containsExactly(0x08, 0x05, 0x10, 0x0a, 0x18, 0x03);
        assertThat(Lessor.decode(new byte[] {0x08, 0x05, 0x10, 0x0a, 0x18, 0x03})).containsExactly(5, 10, 3);
        // unknown fields are skipped
        assertThat(Lessor.decode(new byte[] {0x08, 0x05, 0x10, 0x0a, 0x20, 0x07})).containsExactly(5, 10, 0);
        assertThat(Lessor.key(1)).containsExactly(0, 0, 0, 0, 0, 0, 0, 1);
    }

    @Test
    void remainingTtlNeverGoesNegative() {
        lessor.granted(1, 2);
        now.addAndGet(TimeUnit.SECONDS.toNanos(100));
        assertThat(lessor.timeToLive(1).orElseThrow().remainingSeconds()).isZero();
    }

    private static Event put(String key, long lease, KeyValue prev) {
        Event.Builder event = Event.newBuilder().setType(Event.EventType.PUT).setKv(kv(key, lease));
        if (prev != null) {
            event.setPrevKv(prev);
        }
        return event.build();
    }

    private static KeyValue kv(String key, long lease) {
        return KeyValue.newBuilder().setKey(ByteString.copyFromUtf8(key)).setLease(lease).build();
    }
}
