package io.etcdj.server.apply;

import static io.etcdj.server.apply.Kv.b;
import static io.etcdj.server.apply.Kv.del;
import static io.etcdj.server.apply.Kv.get;
import static io.etcdj.server.apply.Kv.put;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.etcdj.api.etcdserverpb.DeleteRangeRequest;
import io.etcdj.api.etcdserverpb.DeleteRangeResponse;
import io.etcdj.api.etcdserverpb.PutRequest;
import io.etcdj.api.etcdserverpb.PutResponse;
import io.etcdj.api.etcdserverpb.RangeResponse;
import io.etcdj.api.mvccpb.KeyValue;
import io.etcdj.api.rpctypes.EtcdError;
import io.grpc.StatusRuntimeException;
import java.nio.file.Path;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Put and DeleteRange on a real store: revisions, prev_kv, ignore_*, leases, failures change nothing. */
class KvApplierPutDeleteTest {
    @TempDir
    Path dir;
    SingleMemberKv kv;

    @BeforeEach
    void open() {
        kv = new SingleMemberKv(dir, Set.of(7L)::contains);
    }

    @AfterEach
    void close() {
        kv.close();
    }

    private KeyValue only(String key) {
        RangeResponse r = kv.read(txn -> kv.applier().range(txn, get(key)));
        assertThat(r.getKvsList()).hasSize(1);
        return r.getKvs(0);
    }

    static EtcdError errorOf(Throwable t) {
        assertThat(t).isInstanceOf(StatusRuntimeException.class);
        return EtcdError.fromThrowable(t).orElseThrow();
    }

    @Test
    void putAnswersTheNewRevisionAndPrevKvOnlyWhenAsked() {
        PutResponse first = kv.putNow(put("a", "1"));
        assertThat(first.getHeader().getRevision()).isEqualTo(2); // the store starts at 1
        assertThat(first.hasPrevKv()).isFalse();
        PutResponse second = kv.putNow(put("a", "2").toBuilder().setPrevKv(true).build());
        assertThat(second.getHeader().getRevision()).isEqualTo(3);
        assertThat(second.getPrevKv()).isEqualTo(KeyValue.newBuilder().setKey(b("a")).setValue(b("1"))
                .setCreateRevision(2).setModRevision(2).setVersion(1).build());
        PutResponse fresh = kv.putNow(put("b", "x").toBuilder().setPrevKv(true).build());
        assertThat(fresh.hasPrevKv()).as("prev_kv of a new key is absent").isFalse();
        assertThat(only("a").getVersion()).isEqualTo(2);
    }

    @Test
    void ignoreValueKeepsTheValueAndIgnoreLeaseKeepsTheLease() {
        kv.putNow(put("k", "v").toBuilder().setLease(7).build());
        kv.putNow(PutRequest.newBuilder().setKey(b("k")).setIgnoreValue(true).setLease(0).build());
        assertThat(only("k").getValue()).isEqualTo(b("v"));
        assertThat(only("k").getLease()).as("ignore_value alone sets the given lease (0)").isZero();
        kv.putNow(put("k", "w").toBuilder().setLease(7).build());
        kv.putNow(PutRequest.newBuilder().setKey(b("k")).setValue(b("z")).setIgnoreLease(true).build());
        assertThat(only("k").getValue()).isEqualTo(b("z"));
        assertThat(only("k").getLease()).isEqualTo(7);
        assertThat(only("k").getVersion()).isEqualTo(4);
    }

    @Test
    void failedPutsChangeNothing() {
        kv.putNow(put("k", "v"));
        long before = kv.store().currentRevision();
        PutRequest missingIgnoreValue = PutRequest.newBuilder().setKey(b("nope")).setIgnoreValue(true).build();
        PutRequest missingIgnoreLease = PutRequest.newBuilder().setKey(b("nope")).setIgnoreLease(true).build();
        PutRequest unknownLease = put("k", "other").toBuilder().setLease(99).build();
        assertThat(errorOf(catchPut(missingIgnoreValue))).isEqualTo(EtcdError.KEY_NOT_FOUND);
        assertThat(errorOf(catchPut(missingIgnoreLease))).isEqualTo(EtcdError.KEY_NOT_FOUND);
        assertThat(errorOf(catchPut(unknownLease))).isEqualTo(EtcdError.LEASE_NOT_FOUND);
        // Both wrong: a standalone Put reports the lease first (etcd's order).
        PutRequest both = PutRequest.newBuilder().setKey(b("nope")).setIgnoreValue(true).setLease(99).build();
        assertThat(errorOf(catchPut(both))).isEqualTo(EtcdError.LEASE_NOT_FOUND);
        assertThat(kv.store().currentRevision()).isEqualTo(before);
        assertThat(only("k").getValue()).isEqualTo(b("v"));
        assertThat(kv.read(txn -> kv.applier().range(txn, get("nope"))).getKvsCount()).isZero();
    }

    private Throwable catchPut(PutRequest r) {
        return org.assertj.core.api.Assertions.catchThrowable(() -> kv.putNow(r));
    }

    @Test
    void leaseNoneRejectsEveryLease() {
        try (SingleMemberKv none = new SingleMemberKv(dir.resolve("none"), LeaseLookup.NONE)) {
            assertThatThrownBy(() -> none.putNow(put("k", "v").toBuilder().setLease(1).build()))
                    .hasMessageContaining("etcdserver: requested lease not found");
            assertThat(none.putNow(put("k", "v")).getHeader().getRevision()).isEqualTo(2);
        }
    }

    @Test
    void deleteCountsPrevKvsAndRevisions() {
        kv.putNow(put("a", "1"));
        kv.putNow(put("b", "2"));
        kv.putNow(put("c", "3"));
        DeleteRangeResponse none = kv.apply(txn -> kv.applier().deleteRange(txn, del("zz")));
        assertThat(none.getDeleted()).isZero();
        assertThat(none.getHeader().getRevision()).as("a no-op delete answers the current revision").isEqualTo(4);
        assertThat(kv.store().currentRevision()).isEqualTo(4);
        DeleteRangeRequest ab = del("a", "c").toBuilder().setPrevKv(true).build();
        DeleteRangeResponse two = kv.apply(txn -> kv.applier().deleteRange(txn, ab));
        assertThat(two.getDeleted()).isEqualTo(2);
        assertThat(two.getHeader().getRevision()).isEqualTo(5);
        assertThat(two.getPrevKvsList()).extracting(KeyValue::getKey).containsExactly(b("a"), b("b"));
        DeleteRangeResponse all = kv.apply(txn -> kv.applier().deleteRange(txn,
                DeleteRangeRequest.newBuilder().setKey(b("\0")).setRangeEnd(b("\0")).build()));
        assertThat(all.getDeleted()).as("key = range_end = \\0 means every key").isEqualTo(1);
        assertThat(all.getPrevKvsCount()).as("prev_kvs only when asked").isZero();
    }
}
