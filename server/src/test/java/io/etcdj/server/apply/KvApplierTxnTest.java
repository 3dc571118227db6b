package io.etcdj.server.apply;

import static io.etcdj.server.apply.Kv.b;
import static io.etcdj.server.apply.Kv.del;
import static io.etcdj.server.apply.Kv.get;
import static io.etcdj.server.apply.Kv.op;
import static io.etcdj.server.apply.Kv.put;
import static io.etcdj.server.apply.Kv.version;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;

import io.etcdj.api.etcdserverpb.Compare.CompareResult;
import io.etcdj.api.etcdserverpb.PutRequest;
import io.etcdj.api.etcdserverpb.RangeRequest;
import io.etcdj.api.etcdserverpb.ResponseHeader;
import io.etcdj.api.etcdserverpb.ResponseOp;
import io.etcdj.api.etcdserverpb.TxnRequest;
import io.etcdj.api.etcdserverpb.TxnResponse;
import io.etcdj.api.rpctypes.EtcdError;
import java.nio.file.Path;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Txn: branches, order, one revision, nested plans on the pre-txn store, checks before writes. */
class KvApplierTxnTest {
    @TempDir
    Path dir;
    SingleMemberKv kv;

    @BeforeEach
    void open() {
        kv = new SingleMemberKv(dir, Set.of(7L)::contains);
        kv.putNow(put("k", "v")); // rev 2
    }

    @AfterEach
    void close() {
        kv.close();
    }

    private TxnResponse txn(TxnRequest r) {
        return kv.apply(txn -> kv.applier().txn(txn, r));
    }

    private EtcdError txnError(TxnRequest r) {
        return EtcdError.fromThrowable(catchThrowable(() -> txn(r))).orElseThrow();
    }

    @Test
    void theWholeTxnIsOneRevisionAndLaterOpsSeeEarlierOnes() {
        TxnResponse r = txn(TxnRequest.newBuilder()
                .addCompare(version("k", CompareResult.EQUAL, 1))
                .addSuccess(op(put("a", "1")))
                .addSuccess(op(get("a")))
                .addSuccess(op(put("b", "2").toBuilder().setPrevKv(true).build()))
                .addSuccess(op(del("k").toBuilder().setPrevKv(true).build()))
                .addSuccess(op(Kv.range("a", "z")))
                .build());
        assertThat(r.getSucceeded()).isTrue();
        assertThat(r.getHeader().getRevision()).isEqualTo(3);
        assertThat(kv.store().currentRevision()).isEqualTo(3);
        assertThat(r.getResponses(0).getResponsePut().getHeader().getRevision()).isEqualTo(3);
        assertThat(r.getResponses(1).getResponseRange().getKvs(0).getValue()).isEqualTo(b("1"));
        assertThat(r.getResponses(1).getResponseRange().getHeader().getRevision()).isEqualTo(3);
        assertThat(r.getResponses(2).getResponsePut().hasPrevKv()).isFalse();
        assertThat(r.getResponses(3).getResponseDeleteRange().getDeleted()).isEqualTo(1);
        assertThat(r.getResponses(3).getResponseDeleteRange().getPrevKvs(0).getValue()).isEqualTo(b("v"));
        assertThat(r.getResponses(4).getResponseRange().getKvsList()).hasSize(2);
        // sub-revisions: a was change 0, b change 1 of revision 3
        assertThat(r.getResponses(4).getResponseRange().getKvs(1).getModRevision()).isEqualTo(3);
    }

    @Test
    void failureBranchAndAReadOnlyBranchDoNotBumpTheRevision() {
        TxnResponse r = txn(TxnRequest.newBuilder()
                .addCompare(version("k", CompareResult.GREATER, 5))
                .addSuccess(op(put("a", "1")))
                .addFailure(op(get("k")))
                .addFailure(op(del("nothing")))
                .build());
        assertThat(r.getSucceeded()).isFalse();
        assertThat(r.getHeader().getRevision()).isEqualTo(2);
        assertThat(r.getResponses(1).getResponseDeleteRange().getHeader().getRevision()).isEqualTo(2);
        assertThat(kv.store().currentRevision()).isEqualTo(2);
        TxnResponse empty = txn(TxnRequest.getDefaultInstance());
        assertThat(empty.getSucceeded()).as("no compares: success").isTrue();
        assertThat(empty.getResponsesList()).isEmpty();
    }

    @Test
    void aNoOpDeleteAfterAWriteAnswersTheNewRevision() {
        TxnResponse r = txn(TxnRequest.newBuilder().addSuccess(op(put("a", "1"))).addSuccess(op(del("zz"))).build());
        assertThat(r.getResponses(1).getResponseDeleteRange().getHeader().getRevision()).isEqualTo(3);
    }

    @Test
    void nestedTxnsDecideOnTheStoreBeforeTheOuterWrites() {
        TxnRequest nested = TxnRequest.newBuilder()
                .addCompare(version("a", CompareResult.EQUAL, 0)) // a is absent before the txn
                .addSuccess(op(put("n", "then")))
                .addSuccess(op(get("a")))
                .addFailure(op(put("n", "else")))
                .build();
        TxnResponse r = txn(TxnRequest.newBuilder().addSuccess(op(put("a", "1"))).addSuccess(op(nested)).build());
        TxnResponse inner = r.getResponses(1).getResponseTxn();
        assertThat(inner.getSucceeded()).as("the nested compare ignores the outer put").isTrue();
        assertThat(inner.hasHeader()).as("etcd sends nested headers present and zero").isTrue();
        assertThat(inner.getHeader()).isEqualTo(ResponseHeader.getDefaultInstance());
        assertThat(inner.getResponses(1).getResponseRange().getKvs(0).getValue())
                .as("but its ops see the outer writes").isEqualTo(b("1"));
        assertThat(kv.read(txn -> kv.applier().range(txn, get("n"))).getKvs(0).getValue()).isEqualTo(b("then"));
        assertThat(r.getHeader().getRevision()).isEqualTo(3);
    }

    @Test
    void preconditionsOfTheChosenBranchFailBeforeAnyWrite() {
        PutRequest badLease = put("x", "1").toBuilder().setLease(99).build();
        PutRequest missing = PutRequest.newBuilder().setKey(b("nope")).setIgnoreValue(true).build();
        TxnRequest lease = TxnRequest.newBuilder().addSuccess(op(put("a", "1"))).addSuccess(op(badLease)).build();
        assertThat(txnError(lease)).isEqualTo(EtcdError.LEASE_NOT_FOUND);
        TxnRequest nestedMissing = TxnRequest.newBuilder().addSuccess(op(put("a", "1")))
                .addSuccess(op(TxnRequest.newBuilder().addSuccess(op(missing)).build())).build();
        assertThat(txnError(nestedMissing)).isEqualTo(EtcdError.KEY_NOT_FOUND);
        TxnRequest future = TxnRequest.newBuilder().addSuccess(op(put("a", "1")))
                .addSuccess(op(get("a").toBuilder().setRevision(3).build())).build();
        assertThat(txnError(future)).as("revision 3 is the txn's own, still future when checked")
                .isEqualTo(EtcdError.FUTURE_REV);
        // etcd 3.6 checks ops in order (3.4 checked every put before any range).
        RequestOpPair pair = new RequestOpPair(op(get("k").toBuilder().setRevision(50).build()), op(badLease));
        assertThat(txnError(TxnRequest.newBuilder().addSuccess(pair.first()).addSuccess(pair.second()).build()))
                .isEqualTo(EtcdError.FUTURE_REV);
        assertThat(txnError(TxnRequest.newBuilder().addSuccess(pair.second()).addSuccess(pair.first()).build()))
                .isEqualTo(EtcdError.LEASE_NOT_FOUND);
        // Inside a txn etcd checks ignore_* before the lease.
        PutRequest both = missing.toBuilder().setLease(99).build();
        assertThat(txnError(TxnRequest.newBuilder().addSuccess(op(both)).build())).isEqualTo(EtcdError.KEY_NOT_FOUND);
        assertThat(kv.store().currentRevision()).isEqualTo(2);
        assertThat(kv.read(txn -> kv.applier().range(txn, get("a"))).getKvsCount()).isZero();
        TxnRequest unchosen = TxnRequest.newBuilder().addSuccess(op(put("a", "1"))).addFailure(op(badLease)).build();
        assertThat(txn(unchosen).getSucceeded()).as("the branch not taken is not checked").isTrue();
    }

    private record RequestOpPair(io.etcdj.api.etcdserverpb.RequestOp first, io.etcdj.api.etcdserverpb.RequestOp second) {
    }

    @Test
    void anIgnorePutAfterADeleteToTheEndIsKeyNotFoundNotAHalfAppliedTxn() {
        kv.putNow(put("m", "1")); // rev 3
        PutRequest keep = PutRequest.newBuilder().setKey(b("m")).setIgnoreLease(true).setValue(b("2")).build();
        // etcd 3.4/3.6 accept this txn (their duplicate check reads range_end "\0" literally), find m
        // before the txn, delete it, then fail the put half-way and panic on every member.
        TxnRequest crashesEtcd = TxnRequest.newBuilder().addSuccess(op(del("a", "\0"))).addSuccess(op(keep)).build();
        assertThat(txnError(crashesEtcd)).isEqualTo(EtcdError.KEY_NOT_FOUND);
        TxnRequest nestedDelete = TxnRequest.newBuilder()
                .addSuccess(op(TxnRequest.newBuilder().addSuccess(op(del("l", "\0"))).build()))
                .addSuccess(op(keep)).build();
        assertThat(txnError(nestedDelete)).isEqualTo(EtcdError.KEY_NOT_FOUND);
        assertThat(kv.store().currentRevision()).as("nothing applied").isEqualTo(3);
        TxnRequest deleteAfter = TxnRequest.newBuilder().addSuccess(op(keep)).addSuccess(op(del("a", "\0"))).build();
        assertThat(txn(deleteAfter).getResponses(1).getResponseDeleteRange().getDeleted())
                .as("a delete after the put is fine").isEqualTo(2);
        kv.putNow(put("m", "1"));
        TxnRequest otherKey = TxnRequest.newBuilder().addSuccess(op(del("n", "\0"))).addSuccess(op(keep)).build();
        assertThat(txn(otherKey).getSucceeded()).as("a delete not covering the key is fine").isTrue();
    }

    @Test
    void txnRangeRevisionsBelowTheCompactionOrNegativeAreCompacted() {
        TxnRequest minusFive = TxnRequest.newBuilder().addSuccess(op(get("k").toBuilder().setRevision(-5).build()))
                .build();
        assertThat(EtcdError.fromThrowable(catchThrowable(
                () -> kv.read(txn -> kv.applier().readOnlyTxn(txn, minusFive))))).contains(EtcdError.COMPACTED);
        TxnRequest minusOne = TxnRequest.newBuilder().addSuccess(op(get("k").toBuilder().setRevision(-1).build()))
                .build();
        assertThat(kv.read(txn -> kv.applier().readOnlyTxn(txn, minusOne)).getResponses(0).getResponseRange()
                .getKvsCount()).as("-1 is not below etcd's -1 'never compacted'").isEqualTo(1);
        kv.putNow(put("k", "w")); // rev 3
        kv.store().compact(3).join();
        assertThat(EtcdError.fromThrowable(catchThrowable(
                () -> kv.read(txn -> kv.applier().readOnlyTxn(txn, minusOne))))).contains(EtcdError.COMPACTED);
        KvApplier probing = new KvApplier(LeaseLookup.NONE);
        TxnRequest atTwo = TxnRequest.newBuilder().addSuccess(op(get("k").toBuilder().setRevision(2).build())).build();
        assertThat(EtcdError.fromThrowable(catchThrowable(() -> kv.read(txn -> probing.readOnlyTxn(txn, atTwo)))))
                .as("the one-argument applier learns the compaction from the store").contains(EtcdError.COMPACTED);
        assertThat(EtcdError.fromThrowable(catchThrowable(() -> kv.read(txn -> probing.readOnlyTxn(txn, minusOne)))))
                .contains(EtcdError.COMPACTED);
    }

    @Test
    void readOnlyTxnsAndTheirClassification() {
        TxnRequest reads = TxnRequest.newBuilder().addSuccess(op(get("k"))).addFailure(op(get("x"))).build();
        assertThat(KvApplier.isReadOnly(reads)).isTrue();
        assertThat(KvApplier.isSerializable(reads)).isFalse();
        RangeRequest serializable = get("k").toBuilder().setSerializable(true).build();
        assertThat(KvApplier.isSerializable(TxnRequest.newBuilder().addSuccess(op(serializable)).build())).isTrue();
        TxnRequest nestedReads = TxnRequest.newBuilder().addSuccess(op(reads)).build();
        assertThat(KvApplier.isReadOnly(nestedReads)).as("etcd sends any nested txn through raft").isFalse();
        assertThat(KvApplier.isReadOnly(TxnRequest.newBuilder().addFailure(op(put("a", "b"))).build())).isFalse();
        TxnResponse r = kv.read(txn -> kv.applier().readOnlyTxn(txn, reads));
        assertThat(r.getHeader().getRevision()).isEqualTo(2);
        assertThat(r.getResponsesList()).extracting(ResponseOp::hasResponseRange).containsExactly(true);
        assertThatThrownBy(() -> kv.read(txn -> kv.applier().readOnlyTxn(txn, nestedReads)))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
