package io.etcdj.server.concurrency;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import io.etcdj.api.etcdserverpb.LeaseGrantRequest;
import io.etcdj.api.etcdserverpb.LeaseRevokeRequest;
import io.etcdj.api.etcdserverpb.RangeRequest;
import io.etcdj.api.etcdserverpb.ResponseHeader;
import io.etcdj.api.mvccpb.KeyValue;
import io.etcdj.server.config.EtcdFlags;
import io.etcdj.server.config.FlagParser;
import io.etcdj.server.config.ServerConfig;
import io.etcdj.server.etcdserver.EtcdServer;
import io.etcdj.server.etcdserver.Member;
import io.etcdj.server.metrics.EtcdMetrics;
import io.etcdj.server.v3rpc.KvLimits;
import io.etcdj.server.v3rpc.KvService;
import io.etcdj.server.v3rpc.LeaseService;
import io.etcdj.server.watch.WatchConfig;
import io.etcdj.server.watch.WatchHub;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A whole single member (raft, apply, MVCC, lessor) with a watch hub and the KV and Lease
 * services, as the concurrency services see them in {@code bin/etcd}. Every wait is bounded.
 */
final class RecipeMember implements AutoCloseable {
    static final long WAIT_SECONDS = 30;

    private final AtomicReference<Throwable> fatal = new AtomicReference<>();
    private final Member member;
    private final WatchHub hub;
    final LocalClient client;

    RecipeMember(Path dir) throws Exception {
        ServerConfig config = ServerConfig.from(new FlagParser(EtcdFlags.all()).parse(new String[] {
            "--data-dir", dir.resolve("m.etcd").toString(), "--heartbeat-interval=10", "--election-timeout=100"},
            Map.of()));
        member = Member.start(config, new EtcdMetrics(), fatal::set);
        EtcdServer server = member.server();
        hub = WatchHub.start(member.mvcc(), member.backend(), revision -> server.currentHeader().toBuilder()
                .setRevision(revision).build(), WatchConfig.defaults(), System::nanoTime);
        client = new LocalClient(new KvService(server, new KvLimits(KvLimits.DEFAULT_MAX_TXN_OPS,
                KvLimits.DEFAULT_MAX_REQUEST_BYTES)), new LeaseService(server, member.lessor()), hub);
    }

    static <T> T get(CompletableFuture<T> future) throws Exception {
        return future.get(WAIT_SECONDS, TimeUnit.SECONDS);
    }

    long grant(long ttlSeconds) throws Exception {
        return get(member.server().leaseGrant(LeaseGrantRequest.newBuilder().setTTL(ttlSeconds).build())).getID();
    }

    ResponseHeader revoke(long lease) throws Exception {
        return get(member.server().leaseRevoke(LeaseRevokeRequest.newBuilder().setID(lease).build())).getHeader();
    }

    boolean leaseExists(long lease) {
        return member.lessor().exists(lease);
    }

    long grantedTtl(long lease) {
        return member.lessor().timeToLive(lease).orElseThrow().grantedTtlSeconds();
    }

    List<KeyValue> keys(String prefix) throws Exception {
        ByteString key = ByteString.copyFromUtf8(prefix);
        return get(member.server().range(RangeRequest.newBuilder().setKey(key).setRangeEnd(Keys.prefixEnd(key))
                .build())).getKvsList();
    }

    /** Polls (bounded) until {@code prefix} holds exactly {@code count} keys. */
    void awaitKeyCount(String prefix, int count) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(WAIT_SECONDS);
        while (keys(prefix).size() != count) {
            assertThat(System.nanoTime()).as("%s to hold %d keys", prefix, count).isLessThan(deadline);
            TimeUnit.MILLISECONDS.sleep(20);
        }
    }

    @Override
    public void close() {
        hub.close();
        member.close();
        assertThat(fatal.get()).isNull();
    }
}
