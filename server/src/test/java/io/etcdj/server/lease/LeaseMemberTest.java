package io.etcdj.server.lease;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.ByteString;
import io.etcdj.api.etcdserverpb.LeaseCheckpoint;
import io.etcdj.api.etcdserverpb.LeaseCheckpointRequest;
import io.etcdj.api.etcdserverpb.LeaseGrantRequest;
import io.etcdj.api.etcdserverpb.LeaseGrantResponse;
import io.etcdj.api.etcdserverpb.LeaseRevokeRequest;
import io.etcdj.api.etcdserverpb.PutRequest;
import io.etcdj.api.etcdserverpb.RangeRequest;
import io.etcdj.server.config.EtcdFlags;
import io.etcdj.server.config.FlagParser;
import io.etcdj.server.config.ServerConfig;
import io.etcdj.server.etcdserver.EtcdServer;
import io.etcdj.server.etcdserver.Member;
import io.etcdj.server.metrics.EtcdMetrics;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Leases through a whole member: raft, apply, the KV applier's lease check, restart. */
class LeaseMemberTest {

    @TempDir
    Path dir;

    private final AtomicReference<Throwable> fatal = new AtomicReference<>();
    private Member member;

    private EtcdServer start(String... extra) throws Exception {
        String[] args = java.util.stream.Stream.concat(java.util.stream.Stream.of(
                "--data-dir", dir.resolve("m.etcd").toString(), "--heartbeat-interval=10", "--election-timeout=100"),
                java.util.Arrays.stream(extra)).toArray(String[]::new);
        ServerConfig config = ServerConfig.from(new FlagParser(EtcdFlags.all()).parse(args, Map.of()));
        member = Member.start(config, new EtcdMetrics(), fatal::set);
        return member.server();
    }

    @AfterEach
    void stop() {
        if (member != null) {
            member.close();
        }
        assertThat(fatal.get()).isNull();
    }

    private static PutRequest put(String key, long lease) {
        return PutRequest.newBuilder().setKey(ByteString.copyFromUtf8(key)).setValue(ByteString.copyFromUtf8("v"))
                .setLease(lease).build();
    }

    @Test
    void idZeroGetsUniquePositiveIdsAndAChosenIdIsKept() throws Exception {
        EtcdServer server = start();
        Set<Long> ids = new HashSet<>();
        for (int i = 0; i < 20; i++) {
            LeaseGrantResponse granted = server.leaseGrant(LeaseGrantRequest.newBuilder().setTTL(60).build())
                    .get(10, TimeUnit.SECONDS);
            assertThat(granted.getID()).isPositive();
            ids.add(granted.getID());
        }
        assertThat(ids).hasSize(20);
        assertThat(server.leaseGrant(LeaseGrantRequest.newBuilder().setID(42).setTTL(1).build())
                .get(10, TimeUnit.SECONDS).getTTL()).as("min TTL at a 100 ms election timeout").isEqualTo(1);
        assertThatThrownBy(() -> server.leaseGrant(LeaseGrantRequest.newBuilder().setID(42).setTTL(5).build())
                .get(10, TimeUnit.SECONDS)).isInstanceOf(ExecutionException.class)
                .hasMessageContaining("etcdserver: lease already exists");
    }

    @Test
    void aPutNeedsAnExistingLeaseAndRevokeRemovesItsKeysAcrossARestart() throws Exception {
        EtcdServer server = start();
        assertThatThrownBy(() -> server.put(put("k", 7)).get(10, TimeUnit.SECONDS))
                .hasMessageContaining("etcdserver: requested lease not found");
        server.leaseGrant(LeaseGrantRequest.newBuilder().setID(7).setTTL(600).build()).get(10, TimeUnit.SECONDS);
        server.put(put("k", 7)).get(10, TimeUnit.SECONDS);
        member.close();
        member = null;

        EtcdServer restarted = start();
        assertThat(member.lessor().keys(7)).extracting(ByteString::toStringUtf8).containsExactly("k");
        restarted.leaseRevoke(LeaseRevokeRequest.newBuilder().setID(7).build()).get(10, TimeUnit.SECONDS);
        assertThat(restarted.range(RangeRequest.newBuilder().setKey(ByteString.copyFromUtf8("k")).build())
                .get(10, TimeUnit.SECONDS).getKvsList()).isEmpty();
    }

    @Test
    void aCheckpointGoesThroughRaftSurvivesARestartAndAKeepAliveClearsIt() throws Exception {
        // Checkpointing off in the first run: its shutdown would otherwise record the leader's own
        // (full) remaining TTL over the hand-made checkpoint.
        EtcdServer server = start("--feature-gates=LeaseCheckpoint=false,LeaseCheckpointPersist=false");
        server.leaseGrant(LeaseGrantRequest.newBuilder().setID(9).setTTL(600).build()).get(10, TimeUnit.SECONDS);
        server.leaseCheckpoint(LeaseCheckpointRequest.newBuilder()
                .addCheckpoints(LeaseCheckpoint.newBuilder().setID(9).setRemainingTTL(123)).build()).get(10, TimeUnit.SECONDS);
        assertThat(member.lessor().checkpointedSeconds(9)).isEqualTo(123);
        member.close();
        member = null;

        start();
        Lessor lessor = member.lessor();
        assertThat(lessor.checkpointedSeconds(9)).isEqualTo(123);
        assertThat(lessor.timeToLive(9).orElseThrow().remainingSeconds()).as("counts down from the checkpoint")
                .isBetween(100L, 123L);
        assertThat(lessor.keepAlive(9).get(10, TimeUnit.SECONDS)).isEqualTo(600);
        assertThat(lessor.checkpointedSeconds(9)).as("cleared through raft before the answer").isZero();
        member.close();
        member = null;

        start();
        assertThat(member.lessor().timeToLive(9).orElseThrow().remainingSeconds()).as("full TTL after the renewal")
                .isGreaterThan(590);
    }
}
