package io.etcdj.tests.differential;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import io.etcdj.api.etcdserverpb.PutResponse;
import io.etcdj.api.etcdserverpb.RangeResponse;
import io.etcdj.api.etcdserverpb.ResponseHeader;
import io.etcdj.api.etcdserverpb.ResponseOp;
import io.etcdj.api.etcdserverpb.TxnResponse;
import io.etcdj.api.mvccpb.KeyValue;
import io.grpc.Status;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;

/**
 * The comparator's negative controls: each planted difference in an otherwise equal answer is
 * reported and named; the fields that identify cluster, member and term are not.
 */
class OutcomeComparatorTest {

    private final OutcomeComparator comparator = new OutcomeComparator();

    private static final ResponseHeader HEADER = ResponseHeader.newBuilder()
            .setClusterId(0x1234).setMemberId(0x5678).setRevision(7).setRaftTerm(2).build();
    private static final KeyValue KV_A = KeyValue.newBuilder().setKey(ByteString.copyFromUtf8("a"))
            .setValue(ByteString.copyFromUtf8("1")).setCreateRevision(2).setModRevision(5).setVersion(3).build();
    private static final KeyValue KV_B = KeyValue.newBuilder().setKey(ByteString.copyFromUtf8("b"))
            .setValue(ByteString.copyFromUtf8("2")).setCreateRevision(6).setModRevision(6).setVersion(1).build();
    private static final RangeResponse RANGE = RangeResponse.newBuilder()
            .setHeader(HEADER).addKvs(KV_A).addKvs(KV_B).setMore(true).setCount(3).build();

    private String differenceAfter(UnaryOperator<RangeResponse.Builder> perturbation) {
        Outcome perturbed = Outcome.ok(perturbation.apply(RANGE.toBuilder()).build());
        return comparator.difference(Outcome.ok(RANGE), perturbed).orElse("<equal>");
    }

    @Test
    void identicalAnswersAreEqual() {
        assertThat(comparator.difference(Outcome.ok(RANGE), Outcome.ok(RANGE.toBuilder().build()))).isEmpty();
    }

    @Test
    void clusterMemberAndTermInTheTopLevelHeaderAreIgnored() {
        assertThat(differenceAfter(r -> r.setHeader(HEADER.toBuilder().setClusterId(1).setMemberId(2).setRaftTerm(9))))
                .isEqualTo("<equal>");
    }

    @Test
    void aDifferentValueIsReportedWithItsPath() {
        assertThat(differenceAfter(r -> r.setKvs(1, KV_B.toBuilder().setValue(ByteString.copyFromUtf8("3")))))
                .isEqualTo("kvs[1].value: \"2\" != \"3\"");
    }

    @Test
    void aDifferentHeaderRevisionIsReported() {
        assertThat(differenceAfter(r -> r.setHeader(HEADER.toBuilder().setRevision(8))))
                .isEqualTo("header.revision: 7 != 8");
    }

    @Test
    void aDifferentModRevisionIsReported() {
        assertThat(differenceAfter(r -> r.setKvs(0, KV_A.toBuilder().setModRevision(4))))
                .isEqualTo("kvs[0].mod_revision: 5 != 4");
    }

    @Test
    void aDifferentMoreFlagOrCountIsReported() {
        assertThat(differenceAfter(r -> r.setMore(false))).isEqualTo("more: true != false");
        assertThat(differenceAfter(r -> r.setCount(2))).isEqualTo("count: 3 != 2");
    }

    @Test
    void aMissingOrExtraKeyIsReported() {
        assertThat(differenceAfter(r -> r.removeKvs(1))).isEqualTo("kvs: 2 elements != 1 elements");
        assertThat(differenceAfter(r -> r.addKvs(KV_A))).isEqualTo("kvs: 2 elements != 3 elements");
    }

    @Test
    void anAbsentHeaderDiffersFromAnEmptyOne() {
        assertThat(differenceAfter(RangeResponse.Builder::clearHeader)).startsWith("header: ");
    }

    @Test
    void errorsAreComparedByCodeAndMessage() {
        Outcome compacted = Outcome.error(Status.Code.OUT_OF_RANGE, "etcdserver: mvcc: required revision has been compacted");

        assertThat(comparator.difference(compacted, Outcome.error(Status.Code.OUT_OF_RANGE,
                "etcdserver: mvcc: required revision has been compacted"))).isEmpty();
        assertThat(comparator.difference(compacted, Outcome.error(Status.Code.OUT_OF_RANGE,
                "etcdserver: mvcc: required revision is a future revision"))).isPresent();
        assertThat(comparator.difference(compacted, Outcome.error(Status.Code.INVALID_ARGUMENT,
                "etcdserver: mvcc: required revision has been compacted"))).isPresent();
        assertThat(comparator.difference(compacted, Outcome.ok(RANGE))).isPresent();
    }

    @Test
    void nestedTxnHeadersAreComparedInFull() {
        // Only the top-level header names the member; etcd leaves nested ones at zero.
        TxnResponse nested = TxnResponse.newBuilder().setHeader(HEADER).setSucceeded(true)
                .addResponses(ResponseOp.newBuilder().setResponsePut(PutResponse.newBuilder()
                        .setHeader(ResponseHeader.newBuilder().setRevision(7)))).build();
        TxnResponse withMemberInside = nested.toBuilder().setResponses(0, ResponseOp.newBuilder()
                .setResponsePut(PutResponse.newBuilder().setHeader(ResponseHeader.newBuilder().setRevision(7)
                        .setMemberId(0x5678)))).build();

        assertThat(comparator.difference(Outcome.ok(nested), Outcome.ok(withMemberInside)))
                .contains("responses[0].response_put.header.member_id: 0 != 22136");
    }

    @Test
    void aDifferentResponseTypeIsReported() {
        assertThat(comparator.difference(Outcome.ok(RANGE), Outcome.ok(PutResponse.newBuilder().setHeader(HEADER).build())))
                .contains("type: RangeResponse != PutResponse");
    }
}
