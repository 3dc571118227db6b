package io.etcdj.server.lease;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import io.etcdj.api.etcdserverpb.InternalRaftRequest;
import io.etcdj.api.etcdserverpb.LeaseCheckpoint;
import io.etcdj.api.etcdserverpb.LeaseCheckpointRequest;
import io.etcdj.api.etcdserverpb.LeaseCheckpointResponse;
import io.etcdj.api.etcdserverpb.LeaseGrantRequest;
import io.etcdj.api.etcdserverpb.LeaseGrantResponse;
import io.etcdj.api.etcdserverpb.LeaseRevokeRequest;
import io.etcdj.api.etcdserverpb.LeaseRevokeResponse;
import io.etcdj.api.mvccpb.KeyValue;
import io.etcdj.server.mvcc.MvccStore;
import io.etcdj.server.mvcc.RangeOptions;
import io.etcdj.server.mvcc.TxnRead;
import io.etcdj.server.mvcc.TxnWrite;
import io.etcdj.server.storage.backend.Backend;
import io.etcdj.server.storage.backend.BackendConfig;
import io.grpc.StatusRuntimeException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Grant and revoke applied against a real backend and MVCC store, and recovered after reopening. */
class LeaseApplierTest {

    @TempDir
    Path dir;

    private final AtomicLong now = new AtomicLong();
    private Backend backend;
    private MvccStore mvcc;
    private Lessor lessor;
    private LeaseApplier applier;
    private long index = 10;

    private void open() {
        backend = Backend.open(BackendConfig.defaults(dir.resolve("member/snap/db")));
        mvcc = MvccStore.open(backend);
        lessor = Lessor.recover(backend, mvcc, now::get, 2);
        mvcc.addChangeListener(lessor);
        applier = new LeaseApplier(lessor, mvcc, backend);
    }

    private void close() {
        mvcc.close();
        backend.close();
        backend = null;
    }

    @AfterEach
    void tearDown() {
        if (backend != null) {
            close();
        }
    }

    private Object grant(long id, long ttl) {
        return applier.apply(InternalRaftRequest.newBuilder()
                .setLeaseGrant(LeaseGrantRequest.newBuilder().setID(id).setTTL(ttl)).build(), ++index, 2);
    }

    private Object revoke(long id) {
        return applier.apply(InternalRaftRequest.newBuilder()
                .setLeaseRevoke(LeaseRevokeRequest.newBuilder().setID(id)).build(), ++index, 2);
    }

    private long put(String key, long lease) {
        try (TxnWrite txn = mvcc.write()) {
            txn.put(key.getBytes(StandardCharsets.UTF_8), "v".getBytes(StandardCharsets.UTF_8), lease);
            return txn.end();
        }
    }

    private List<String> keys() {
        try (TxnRead txn = mvcc.read()) {
            return txn.range(new byte[] {0}, new byte[] {0}, RangeOptions.DEFAULT).kvs().stream()
                    .map(KeyValue::getKey).map(ByteString::toStringUtf8).toList();
        }
    }

    private static String error(Object result) {
        assertThat(result).isInstanceOf(StatusRuntimeException.class);
        return ((StatusRuntimeException) result).getStatus().getDescription();
    }

    @Test
    void grantRaisesATooShortTtlAndRefusesATakenIdOrATooLargeTtl() {
        open();
        LeaseGrantResponse granted = (LeaseGrantResponse) grant(1, 1);
        assertThat(granted.getID()).isEqualTo(1);
        assertThat(granted.getTTL()).isEqualTo(2);
        assertThat(error(grant(1, 60))).isEqualTo("etcdserver: lease already exists");
        assertThat(error(grant(2, 9_000_000_001L))).isEqualTo("etcdserver: too large lease TTL");
        assertThat(((LeaseGrantResponse) grant(3, 9_000_000_000L)).getTTL()).isEqualTo(9_000_000_000L);
        assertThat(lessor.ids()).containsExactly(1L, 3L);
        assertThat(backend.consistentIndex()).isEqualTo(index);
    }

    @Test
    void revokeDeletesEveryAttachedKeyInOneRevision() {
        open();
        grant(7, 60);
        put("a", 7);
        put("b", 7);
        long before = put("c", 0);
        LeaseRevokeResponse revoked = (LeaseRevokeResponse) revoke(7);
        assertThat(revoked.getHeader().getRevision()).isEqualTo(before + 1);
        assertThat(keys()).containsExactly("c");
        assertThat(lessor.exists(7)).isFalse();
        assertThat(error(revoke(7))).isEqualTo("etcdserver: requested lease not found");
        assertThat(mvcc.currentRevision()).isEqualTo(before + 1);
    }

    @Test
    void revokingALeaseWithoutKeysLeavesTheRevisionAlone() {
        open();
        grant(7, 60);
        long revision = mvcc.currentRevision();
        revoke(7);
        assertThat(mvcc.currentRevision()).isEqualTo(revision);
    }

    @Test
    void leasesAndTheirKeysSurviveAReopen() {
        open();
        grant(7, 60);
        grant(8, 30);
        put("a", 7);
        put("b", 8);
        put("b", 7); // moves b from 8 to 7
        revoke(8);
        close();

        open();
        assertThat(lessor.ids()).containsExactly(7L);
        assertThat(lessor.timeToLive(7).orElseThrow().grantedTtlSeconds()).isEqualTo(60);
        assertThat(lessor.keys(7)).extracting(ByteString::toStringUtf8).containsExactly("a", "b");
        revoke(7);
        assertThat(keys()).isEmpty();
    }

    private Object checkpoint(long id, long remaining) {
        return applier.apply(InternalRaftRequest.newBuilder().setLeaseCheckpoint(LeaseCheckpointRequest.newBuilder()
                .addCheckpoints(LeaseCheckpoint.newBuilder().setID(id).setRemainingTTL(remaining))).build(), ++index, 2);
    }

    private long[] record(long id) {
        try (io.etcdj.server.storage.backend.ReadTxn txn = backend.beginRead()) {
            byte[] value = txn.get(io.etcdj.server.storage.schema.Bucket.LEASE, Lessor.key(id));
            return value == null ? null : Lessor.decode(value);
        }
    }

    @Test
    void anAppliedCheckpointIsPersistedWithTheIndexAndARestartCountsDownFromIt() {
        open();
        grant(7, 60);
        grant(8, 60);
        assertThat(checkpoint(7, 25)).isInstanceOf(LeaseCheckpointResponse.class);
        assertThat(record(7)).containsExactly(7, 60, 25);
        assertThat(record(8)).containsExactly(8, 60, 0);
        assertThat(backend.consistentIndex()).isEqualTo(index);
        assertThat(checkpoint(99, 10)).as("unknown lease: skipped").isInstanceOf(LeaseCheckpointResponse.class);
        assertThat(record(99)).isNull();
        assertThat(backend.consistentIndex()).isEqualTo(index);
        close();

        open();
        lessor.promote();
        assertThat(lessor.timeToLive(7).orElseThrow().remainingSeconds()).isEqualTo(25);
        assertThat(lessor.timeToLive(7).orElseThrow().grantedTtlSeconds()).isEqualTo(60);
        assertThat(lessor.timeToLive(8).orElseThrow().remainingSeconds()).isEqualTo(60);
    }

    @Test
    void aKeepAliveClearsTheRecordSoARestartGivesTheFullTtlAgain() {
        open();
        grant(7, 60);
        checkpoint(7, 25);
        lessor.setCheckpointer(request -> java.util.concurrent.CompletableFuture.completedFuture(
                applier.apply(InternalRaftRequest.newBuilder().setLeaseCheckpoint(request).build(), ++index, 2)));
        assertThat(lessor.keepAlive(7)).isCompletedWithValue(60L);
        assertThat(record(7)).containsExactly(7, 60, 0);
        close();

        open();
        lessor.promote();
        assertThat(lessor.timeToLive(7).orElseThrow().remainingSeconds()).isEqualTo(60);
    }

    @Test
    void negativeControlARenewalThatDoesNotClearComesBackWithTheStaleRemainder() {
        open();
        grant(7, 60);
        checkpoint(7, 25);
        assertThat(lessor.renew(7).clearCheckpoint()).isTrue(); // local refresh only, no clearing entry
        close();

        open();
        lessor.promote();
        assertThat(lessor.timeToLive(7).orElseThrow().remainingSeconds()).isEqualTo(25);
    }

    @Test
    void aRegrantAfterRevokeStartsWithoutACheckpoint() {
        open();
        grant(7, 60);
        checkpoint(7, 25);
        revoke(7);
        grant(7, 60);
        assertThat(record(7)).containsExactly(7, 60, 0);
        assertThat(lessor.checkpointedSeconds(7)).isZero();
    }
}
