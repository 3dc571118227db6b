package io.etcdj.server.etcdserver;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import io.etcdj.api.etcdserverpb.PutRequest;
import io.etcdj.api.etcdserverpb.PutResponse;
import io.etcdj.api.etcdserverpb.RangeRequest;
import io.etcdj.api.etcdserverpb.RangeResponse;
import io.etcdj.server.config.EtcdFlags;
import io.etcdj.server.config.FlagParser;
import io.etcdj.server.config.ServerConfig;
import io.etcdj.server.metrics.EtcdMetrics;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The server core end to end in one process: raft, WAL fsync, apply to MVCC, restart. */
class MemberTest {

    @TempDir
    Path dir;

    private final AtomicReference<Throwable> fatal = new AtomicReference<>();
    private Member member;

    private Member start(String... extraFlags) throws Exception {
        List<String> args = new ArrayList<>(List.of("--data-dir", dir.resolve("m.etcd").toString(),
                "--heartbeat-interval=10", "--election-timeout=100"));
        args.addAll(List.of(extraFlags));
        ServerConfig config = ServerConfig.from(new FlagParser(EtcdFlags.all()).parse(args.toArray(String[]::new), Map.of()));
        member = Member.start(config, new EtcdMetrics(), fatal::set);
        return member;
    }

    @AfterEach
    void stop() {
        if (member != null) {
            member.close();
        }
        assertThat(fatal.get()).isNull();
    }

    private static PutRequest put(String key, String value) {
        return PutRequest.newBuilder().setKey(ByteString.copyFromUtf8(key)).setValue(ByteString.copyFromUtf8(value)).build();
    }

    private static RangeRequest get(String key, boolean serializable) {
        return RangeRequest.newBuilder().setKey(ByteString.copyFromUtf8(key)).setSerializable(serializable).build();
    }

    /**
     * A close while writes stream in must neither report a storage failure (a stop that interrupted
     * the raft thread inside a WAL fsync closed the file channel and did) nor lose an acknowledged
     * write. Racy by nature, so several rounds.
     */
    @Test
    void closingDuringWritesIsCleanAndLosesNothingAcknowledged() throws Exception {
        Map<String, CompletableFuture<PutResponse>> all = new java.util.LinkedHashMap<>();
        for (int round = 0; round < 8; round++) {
            EtcdServer server = start().server();
            server.put(put("warm", "up")).get(10, TimeUnit.SECONDS); // a leader, the WAL written
            for (int i = 0; i < 300; i++) {
                all.put("r" + round + "k" + i, server.put(put("r" + round + "k" + i, "v")));
            }
            member.close();
            member = null;
            assertThat(fatal.get()).as("round %d: a graceful close is not a failure", round).isNull();
        }
        EtcdServer server = start().server();
        int acknowledged = 0;
        for (Map.Entry<String, CompletableFuture<PutResponse>> put : all.entrySet()) {
            if (put.getValue().isDone() && !put.getValue().isCompletedExceptionally()) {
                acknowledged++;
                RangeResponse found = server.range(get(put.getKey(), true)).get(10, TimeUnit.SECONDS);
                assertThat(found.getKvsList()).as("acknowledged %s", put.getKey()).hasSize(1);
                assertThat(found.getKvs(0).getModRevision())
                        .isEqualTo(put.getValue().join().getHeader().getRevision());
            }
        }
        assertThat(acknowledged).as("some writes were acknowledged before each close").isPositive();
    }

    @Test
    void aLoneMemberElectsItselfAndAppliesWritesInRevisionOrder() throws Exception {
        EtcdServer server = start().server();
        assertThat(server.leader()).isEqualTo(server.identity().memberId());

        PutResponse first = server.put(put("a", "1")).get(10, TimeUnit.SECONDS);
        PutResponse second = server.put(put("a", "2")).get(10, TimeUnit.SECONDS);
        RangeResponse linearizable = server.range(get("a", false)).get(10, TimeUnit.SECONDS);

        assertThat(first.getHeader().getRevision()).isEqualTo(2);
        assertThat(second.getHeader().getRevision()).isEqualTo(3);
        assertThat(second.getHeader().getMemberId()).isEqualTo(server.identity().memberId());
        assertThat(second.getHeader().getClusterId()).isEqualTo(server.identity().clusterId());
        assertThat(second.getHeader().getRaftTerm()).isEqualTo(server.raftTerm()).isPositive();
        assertThat(linearizable.getKvs(0).getValue().toStringUtf8()).isEqualTo("2");
        assertThat(linearizable.getKvs(0).getVersion()).isEqualTo(2);
    }

    @Test
    void concurrentWritesAreAllAppliedAndAnswered() throws Exception {
        EtcdServer server = start().server();
        List<CompletableFuture<PutResponse>> answers = new ArrayList<>();
        for (int i = 0; i < 500; i++) {
            answers.add(server.put(put("k" + i, "v" + i)));
        }
        CompletableFuture.allOf(answers.toArray(CompletableFuture[]::new)).get(30, TimeUnit.SECONDS);

        assertThat(answers.stream().map(f -> f.join().getHeader().getRevision()).distinct().count()).isEqualTo(500);
        assertThat(server.range(get("k499", true)).get(10, TimeUnit.SECONDS).getKvs(0).getValue().toStringUtf8())
                .isEqualTo("v499");
    }

    @Test
    void aRestartKeepsEveryAcknowledgedWriteAndTheIdentity() throws Exception {
        EtcdServer server = start("--snapshot-count=50").server();
        long memberId = server.identity().memberId();
        for (int i = 0; i < 120; i++) {
            server.put(put("k" + i, "v" + i)).get(10, TimeUnit.SECONDS);
        }
        long revision = server.currentRevision();
        member.close();
        member = null;

        // Different flags on restart: the ids come from the WAL, as in etcd.
        EtcdServer restarted = start("--initial-cluster-token=other").server();

        assertThat(restarted.identity().memberId()).isEqualTo(memberId);
        assertThat(restarted.currentRevision()).isEqualTo(revision);
        assertThat(restarted.range(get("k119", false)).get(10, TimeUnit.SECONDS).getKvs(0).getValue().toStringUtf8())
                .isEqualTo("v119");
        assertThat(restarted.put(put("after", "restart")).get(10, TimeUnit.SECONDS).getHeader().getRevision())
                .isEqualTo(revision + 1);
        try (var snaps = Files.list(dir.resolve("m.etcd/member/snap"))) {
            assertThat(snaps.filter(p -> p.toString().endsWith(".snap")).count()).isGreaterThan(1);
        }
    }
}
