package io.etcdj.tests.differential;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import com.google.protobuf.Message;
import io.etcdj.api.etcdserverpb.LeaseGrantRequest;
import io.etcdj.api.etcdserverpb.LeaseGrantResponse;
import io.etcdj.api.etcdserverpb.LeaseLeasesResponse;
import io.etcdj.api.etcdserverpb.LeaseStatus;
import io.etcdj.api.etcdserverpb.LeaseTimeToLiveRequest;
import io.etcdj.api.etcdserverpb.LeaseTimeToLiveResponse;
import io.etcdj.api.etcdserverpb.RangeResponse;
import io.etcdj.api.etcdserverpb.ResponseHeader;
import io.etcdj.api.mvccpb.KeyValue;
import java.util.Optional;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/** The lease run's id mapping and TTL tolerance, without servers; each rule with a case it must catch. */
class LeaseOutcomeComparatorTest {

    private final LeaseOutcomeComparator comparator = new LeaseOutcomeComparator();

    /** A fake server that grants the given ids in turn and answers whatever {@code answer} says. */
    private static LeaseSide side(long grantedId, Function<Message, Message> answer) {
        return new LeaseSide(new LeaseTarget() {
            @Override
            public String name() {
                return "fake";
            }

            @Override
            public Outcome call(Message request) {
                if (request instanceof LeaseGrantRequest) {
                    return Outcome.ok(LeaseGrantResponse.newBuilder().setID(grantedId).setTTL(60).build());
                }
                return Outcome.ok(answer.apply(request));
            }

            @Override
            public void close() {
            }
        });
    }

    private Optional<String> compare(LeaseSide a, LeaseSide b, LeaseOp op) {
        return comparator.difference(a.canonical(a.send(op)), b.canonical(b.send(op)));
    }

    private static LeaseTimeToLiveResponse ttl(long id, long ttl, String... keys) {
        LeaseTimeToLiveResponse.Builder b = LeaseTimeToLiveResponse.newBuilder().setID(id).setTTL(ttl).setGrantedTTL(60);
        for (String key : keys) {
            b.addKeys(ByteString.copyFromUtf8(key));
        }
        return b.build();
    }

    @Test
    void serverChosenIdsAreComparedThroughTheirHandles() {
        LeaseSide a = side(111, r -> ttl(((LeaseTimeToLiveRequest) r).getID(), 50));
        LeaseSide b = side(999, r -> ttl(((LeaseTimeToLiveRequest) r).getID(), 50));
        assertThat(compare(a, b, new LeaseOp.Grant(0, 60, 0))).isEmpty();
        assertThat(a.resolve(LeaseOp.Ref.handle(0))).isEqualTo(111);
        assertThat(b.resolve(LeaseOp.Ref.handle(0))).isEqualTo(999);
        assertThat(compare(a, b, new LeaseOp.TimeToLive(LeaseOp.Ref.handle(0), false))).isEmpty();
    }

    @Test
    void aKeyOnTheWrongLeaseIsCaught() {
        LeaseSide a = side(111, r -> RangeResponse.newBuilder().setHeader(ResponseHeader.newBuilder().setRevision(3))
                .addKvs(KeyValue.newBuilder().setKey(ByteString.copyFromUtf8("k")).setLease(111)).build());
        LeaseSide b = side(999, r -> RangeResponse.newBuilder().setHeader(ResponseHeader.newBuilder().setRevision(3))
                .addKvs(KeyValue.newBuilder().setKey(ByteString.copyFromUtf8("k")).setLease(998)).build());
        compare(a, b, new LeaseOp.Grant(0, 60, 0));
        assertThat(compare(a, b, new LeaseOp.RangeAll())).hasValueSatisfying(d -> assertThat(d).contains("kvs[0].lease"));
    }

    @Test
    void remainingTtlsMayDifferByOneSecondNotTwo() {
        LeaseSide a = side(111, r -> ttl(111, 50));
        LeaseSide oneOff = side(999, r -> ttl(999, 49));
        LeaseSide twoOff = side(999, r -> ttl(999, 48));
        compare(a, oneOff, new LeaseOp.Grant(0, 60, 0));
        compare(a, twoOff, new LeaseOp.Grant(0, 60, 0));
        LeaseOp op = new LeaseOp.TimeToLive(LeaseOp.Ref.handle(0), false);
        assertThat(compare(a, oneOff, op)).isEmpty();
        assertThat(compare(a, twoOff, op)).hasValueSatisfying(d -> assertThat(d).contains("TTL: 50 != 48"));
    }

    @Test
    void notFoundIsExactAndGrantedTtlIsExact() {
        LeaseSide a = side(111, r -> LeaseTimeToLiveResponse.newBuilder().setID(5).setTTL(-1).build());
        LeaseSide b = side(999, r -> LeaseTimeToLiveResponse.newBuilder().setID(5).setTTL(0).build());
        assertThat(compare(a, b, new LeaseOp.TimeToLive(LeaseOp.Ref.raw(5), false))).isPresent();
        LeaseSide c = side(111, r -> ttl(111, 50).toBuilder().setGrantedTTL(61).build());
        LeaseSide d = side(999, r -> ttl(999, 50));
        compare(c, d, new LeaseOp.Grant(0, 60, 0));
        assertThat(compare(c, d, new LeaseOp.TimeToLive(LeaseOp.Ref.handle(0), false)))
                .hasValueSatisfying(diff -> assertThat(diff).contains("grantedTTL"));
    }

    @Test
    void goMapOrdersAreSortedButContentsCompared() {
        LeaseSide a = side(111, r -> r instanceof LeaseTimeToLiveRequest ? ttl(111, 50, "b", "a")
                : LeaseLeasesResponse.newBuilder().addLeases(LeaseStatus.newBuilder().setID(111))
                        .addLeases(LeaseStatus.newBuilder().setID(7)).build());
        LeaseSide b = side(999, r -> r instanceof LeaseTimeToLiveRequest ? ttl(999, 50, "a", "b")
                : LeaseLeasesResponse.newBuilder().addLeases(LeaseStatus.newBuilder().setID(7))
                        .addLeases(LeaseStatus.newBuilder().setID(999)).build());
        LeaseSide missing = side(999, r -> r instanceof LeaseTimeToLiveRequest ? ttl(999, 50, "a")
                : LeaseLeasesResponse.newBuilder().addLeases(LeaseStatus.newBuilder().setID(999)).build());
        for (LeaseSide s : new LeaseSide[] {a, b, missing}) {
            s.send(new LeaseOp.Grant(0, 60, 0));
        }
        LeaseOp ttl = new LeaseOp.TimeToLive(LeaseOp.Ref.handle(0), true);
        assertThat(compare(a, b, ttl)).isEmpty();
        assertThat(compare(a, b, new LeaseOp.Leases())).isEmpty();
        assertThat(compare(a, missing, ttl)).isPresent();
        assertThat(compare(a, missing, new LeaseOp.Leases())).isPresent();
    }
}
