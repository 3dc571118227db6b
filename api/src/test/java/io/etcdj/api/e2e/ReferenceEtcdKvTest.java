package io.etcdj.api.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.google.protobuf.ByteString;
import io.etcdj.api.etcdserverpb.Compare;
import io.etcdj.api.etcdserverpb.CompactionRequest;
import io.etcdj.api.etcdserverpb.DeleteRangeRequest;
import io.etcdj.api.etcdserverpb.DeleteRangeResponse;
import io.etcdj.api.etcdserverpb.KVGrpc;
import io.etcdj.api.etcdserverpb.PutRequest;
import io.etcdj.api.etcdserverpb.PutResponse;
import io.etcdj.api.etcdserverpb.RangeRequest;
import io.etcdj.api.etcdserverpb.RangeResponse;
import io.etcdj.api.etcdserverpb.RequestOp;
import io.etcdj.api.etcdserverpb.ResponseOp;
import io.etcdj.api.etcdserverpb.TxnRequest;
import io.etcdj.api.etcdserverpb.TxnResponse;
import io.etcdj.api.mvccpb.KeyValue;
import io.etcdj.api.rpctypes.EtcdError;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.nio.file.Files;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * KV through our generated stubs against the real etcd: if a field number, type or method path of
 * ours differed from etcd's, etcd would ignore the field or refuse the method and these answers
 * would not decode into the expected values. Every test uses its own keys, so order is free.
 */
@Tag("e2e")
class ReferenceEtcdKvTest {
  private static ReferenceEtcd etcd;

  @BeforeAll
  static void startEtcd() throws Exception {
    assertThat(Files.isExecutable(ReferenceEtcd.BINARY))
        .as("reference etcd missing; apt-get install -y etcd-server etcd-client").isTrue();
    etcd = ReferenceEtcd.start();
    etcd.awaitServing(60);
  }

  @AfterAll
  static void stopEtcd() throws Exception {
    if (etcd != null) {
      etcd.close();
    }
  }

  private static KVGrpc.KVBlockingStub kv() {
    return KVGrpc.newBlockingStub(etcd.channel).withDeadlineAfter(15, TimeUnit.SECONDS);
  }

  static ByteString bytes(String text) {
    return ByteString.copyFromUtf8(text);
  }

  private static PutResponse put(String key, String value) {
    return kv().put(PutRequest.newBuilder().setKey(bytes(key)).setValue(bytes(value)).build());
  }

  @Test
  void putThenRangeDecodesRevisionsAndVersion() {
    long created = put("kv/one", "v1").getHeader().getRevision();
    PutResponse second = kv().put(PutRequest.newBuilder().setKey(bytes("kv/one"))
        .setValue(bytes("v2")).setPrevKv(true).build());
    assertThat(second.getHeader().getRevision()).isEqualTo(created + 1);
    assertThat(second.getPrevKv().getValue()).isEqualTo(bytes("v1"));
    assertThat(second.getHeader().getClusterId()).isNotZero();
    assertThat(second.getHeader().getMemberId()).isNotZero();
    assertThat(second.getHeader().getRaftTerm()).isPositive();

    RangeResponse got = kv().range(RangeRequest.newBuilder().setKey(bytes("kv/one")).build());
    assertThat(got.getKvsList()).hasSize(1);
    KeyValue kv = got.getKvs(0);
    assertThat(kv.getKey()).isEqualTo(bytes("kv/one"));
    assertThat(kv.getValue()).isEqualTo(bytes("v2"));
    assertThat(kv.getCreateRevision()).isEqualTo(created);
    assertThat(kv.getModRevision()).isEqualTo(created + 1);
    assertThat(kv.getVersion()).isEqualTo(2);
    assertThat(got.getCount()).isEqualTo(1);
  }

  @Test
  void rangeOptionsLimitSortKeysOnlyCountOnly() {
    put("opt/a", "1");
    put("opt/b", "2");
    put("opt/c", "3");
    RangeRequest prefix = RangeRequest.newBuilder().setKey(bytes("opt/")).setRangeEnd(bytes("opt0"))
        .build();
    RangeResponse limited = kv().range(prefix.toBuilder().setLimit(2)
        .setSortOrder(RangeRequest.SortOrder.DESCEND).setSortTarget(RangeRequest.SortTarget.KEY)
        .build());
    assertThat(limited.getKvsList()).extracting(KeyValue::getKey)
        .containsExactly(bytes("opt/c"), bytes("opt/b"));
    assertThat(limited.getMore()).isTrue();
    assertThat(limited.getCount()).isEqualTo(3);

    RangeResponse keysOnly = kv().range(prefix.toBuilder().setKeysOnly(true).build());
    assertThat(keysOnly.getKvsList()).hasSize(3).allSatisfy(kv -> assertThat(kv.getValue()).isEmpty());

    RangeResponse countOnly = kv().range(prefix.toBuilder().setCountOnly(true).build());
    assertThat(countOnly.getKvsList()).isEmpty();
    assertThat(countOnly.getCount()).isEqualTo(3);

    long bMod = kv().range(RangeRequest.newBuilder().setKey(bytes("opt/b")).build()).getKvs(0)
        .getModRevision();
    RangeResponse filtered = kv().range(prefix.toBuilder().setMinModRevision(bMod)
        .setSerializable(true).build());
    assertThat(filtered.getKvsList()).extracting(KeyValue::getKey)
        .containsExactly(bytes("opt/b"), bytes("opt/c"));
  }

  @Test
  void txnWithRangeEndCompareAndOneofs() {
    put("txn/a", "1");
    put("txn/b", "2");
    // Only over the range (Compare.range_end, field 64) is every create revision > 0; the key
    // "txn/" alone does not exist. So success proves etcd read our field 64.
    Compare overRange = Compare.newBuilder().setKey(bytes("txn/")).setRangeEnd(bytes("txn0"))
        .setTarget(Compare.CompareTarget.CREATE).setResult(Compare.CompareResult.GREATER)
        .setCreateRevision(0).build();
    TxnRequest txn = TxnRequest.newBuilder().addCompare(overRange)
        .addSuccess(RequestOp.newBuilder().setRequestPut(PutRequest.newBuilder()
            .setKey(bytes("txn/c")).setValue(bytes("3"))))
        .addSuccess(RequestOp.newBuilder().setRequestRange(RangeRequest.newBuilder()
            .setKey(bytes("txn/")).setRangeEnd(bytes("txn0"))))
        .addFailure(RequestOp.newBuilder().setRequestDeleteRange(DeleteRangeRequest.newBuilder()
            .setKey(bytes("txn/a"))))
        .build();
    TxnResponse answer = kv().txn(txn);
    assertThat(answer.getSucceeded()).isTrue();
    assertThat(answer.getResponsesList()).extracting(ResponseOp::getResponseCase)
        .containsExactly(ResponseOp.ResponseCase.RESPONSE_PUT, ResponseOp.ResponseCase.RESPONSE_RANGE);
    assertThat(answer.getResponses(1).getResponseRange().getKvsList()).hasSize(3);

    Compare singleKey = overRange.toBuilder().clearRangeEnd().build();
    TxnResponse failed = kv().txn(txn.toBuilder().setCompare(0, singleKey).build());
    assertThat(failed.getSucceeded()).isFalse();
    assertThat(failed.getResponses(0).getResponseDeleteRange().getDeleted()).isEqualTo(1);
  }

  @Test
  void deleteRangeReturnsCountAndPreviousValues() {
    put("del/1", "a");
    long revision = put("del/2", "b").getHeader().getRevision();
    DeleteRangeResponse deleted = kv().deleteRange(DeleteRangeRequest.newBuilder()
        .setKey(bytes("del/")).setRangeEnd(bytes("del0")).setPrevKv(true).build());
    assertThat(deleted.getDeleted()).isEqualTo(2);
    assertThat(deleted.getPrevKvsList()).extracting(KeyValue::getValue)
        .containsExactlyInAnyOrder(bytes("a"), bytes("b"));
    assertThat(deleted.getHeader().getRevision()).isEqualTo(revision + 1);
  }

  @Test
  void compactThenOldRevisionFailsWithEtcdsExactError() {
    long old = put("cmp/k", "1").getHeader().getRevision();
    long now = put("cmp/k", "2").getHeader().getRevision();
    kv().compact(CompactionRequest.newBuilder().setRevision(now).setPhysical(true).build());
    StatusRuntimeException compacted = catchThrowableOfType(StatusRuntimeException.class,
        () -> kv().range(RangeRequest.newBuilder().setKey(bytes("cmp/k")).setRevision(old).build()));
    assertThat(EtcdError.fromStatus(compacted.getStatus())).contains(EtcdError.COMPACTED);
    assertThat(compacted.getStatus().getCode()).isEqualTo(EtcdError.COMPACTED.code());
  }

  @Test
  void etcdsErrorStringsMatchOurTable() {
    assertEtcdError(EtcdError.FUTURE_REV, () -> kv().range(RangeRequest.newBuilder()
        .setKey(bytes("err/k")).setRevision(1_000_000_000L).build()));
    assertEtcdError(EtcdError.EMPTY_KEY, () -> kv().put(PutRequest.newBuilder()
        .setValue(bytes("x")).build()));
    assertEtcdError(EtcdError.KEY_NOT_FOUND, () -> kv().put(PutRequest.newBuilder()
        .setKey(bytes("err/missing")).setIgnoreValue(true).build()));
    RequestOp sameKey = RequestOp.newBuilder().setRequestPut(PutRequest.newBuilder()
        .setKey(bytes("err/dup"))).build();
    assertEtcdError(EtcdError.DUPLICATE_KEY, () -> kv().txn(TxnRequest.newBuilder()
        .addSuccess(sameKey).addSuccess(sameKey).build()));
  }

  static void assertEtcdError(EtcdError expected, Runnable call) {
    StatusRuntimeException e = catchThrowableOfType(StatusRuntimeException.class, call::run);
    assertThat(e).as("etcd should have refused with " + expected).isNotNull();
    assertThat(e.getStatus().getCode()).as(expected.name()).isEqualTo(expected.code());
    assertThat(e.getStatus().getDescription()).isEqualTo(expected.message());
  }

  @Test
  void rangeStreamIsUnknownToEtcd34() {
    // etcd 3.7 added it; older servers answer UNIMPLEMENTED, which is what clients fall back on.
    assertThatThrownBy(() -> kv().rangeStream(RangeRequest.newBuilder().setKey(bytes("x")).build())
        .hasNext())
        .isInstanceOfSatisfying(StatusRuntimeException.class,
            e -> assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.UNIMPLEMENTED));
  }
}
