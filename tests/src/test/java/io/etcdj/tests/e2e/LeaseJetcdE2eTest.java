package io.etcdj.tests.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.etcd.jetcd.ByteSequence;
import io.etcd.jetcd.Client;
import io.etcd.jetcd.Lease;
import io.etcd.jetcd.lease.LeaseKeepAliveResponse;
import io.etcd.jetcd.lease.LeaseTimeToLiveResponse;
import io.etcd.jetcd.options.LeaseOption;
import io.etcd.jetcd.options.PutOption;
import io.etcd.jetcd.support.CloseableClient;
import io.etcdj.tests.framework.SpawnedEtcd;
import io.grpc.stub.StreamObserver;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * jetcd's Lease client against a spawned {@code bin/etcd}: grant, attach, time-to-live with keys,
 * the keep-alive stream, revoke; the same expectations hold for the real etcd in
 * {@link LeaseJetcdReferenceE2eTest}.
 */
@Tag("e2e")
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class LeaseJetcdE2eTest {

    private static final long TIMEOUT_SECONDS = 30;

    private AutoCloseable server;
    private Client client;
    private Lease lease;
    String clientUrl;

    AutoCloseable startServer(Path dir) {
        SpawnedEtcd etcd = SpawnedEtcd.start(dir);
        clientUrl = etcd.clientUrl();
        return etcd;
    }

    @BeforeAll
    void start(@TempDir Path dir) {
        server = startServer(dir);
        client = Client.builder().endpoints(clientUrl).build();
        lease = client.getLeaseClient();
    }

    @AfterAll
    void stop() throws Exception {
        if (client != null) {
            client.close();
        }
        if (server != null) {
            server.close();
        }
    }

    private static ByteSequence bytes(String s) {
        return ByteSequence.from(s, StandardCharsets.UTF_8);
    }

    @Test
    void grantAttachKeepAliveRevoke() throws Exception {
        long id = lease.grant(30).get(TIMEOUT_SECONDS, TimeUnit.SECONDS).getID();
        assertThat(id).isPositive();
        client.getKVClient().put(bytes("jl/a"), bytes("1"), PutOption.newBuilder().withLeaseId(id).build())
                .get(TIMEOUT_SECONDS, TimeUnit.SECONDS);

        LeaseTimeToLiveResponse ttl = lease.timeToLive(id, LeaseOption.newBuilder().withAttachedKeys().build())
                .get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
        assertThat(ttl.getGrantedTTL()).isEqualTo(30);
        assertThat(ttl.getTTL()).isBetween(1L, 30L);
        assertThat(ttl.getKeys()).containsExactly(bytes("jl/a"));

        assertThat(lease.keepAliveOnce(id).get(TIMEOUT_SECONDS, TimeUnit.SECONDS).getTTL()).isEqualTo(30);
        BlockingQueue<LeaseKeepAliveResponse> answers = new LinkedBlockingQueue<>();
        try (CloseableClient keepAlive = lease.keepAlive(id, new StreamObserver<>() {
            @Override
            public void onNext(LeaseKeepAliveResponse value) {
                answers.add(value);
            }

            @Override
            public void onError(Throwable t) {
            }

            @Override
            public void onCompleted() {
            }
        })) {
            LeaseKeepAliveResponse first = answers.poll(TIMEOUT_SECONDS, TimeUnit.SECONDS);
            assertThat(first).isNotNull();
            assertThat(first.getID()).isEqualTo(id);
            assertThat(first.getTTL()).isEqualTo(30);
        }

        lease.revoke(id).get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
        assertThat(client.getKVClient().get(bytes("jl/a")).get(TIMEOUT_SECONDS, TimeUnit.SECONDS).getKvs()).isEmpty();
        assertThat(lease.timeToLive(id, LeaseOption.DEFAULT).get(TIMEOUT_SECONDS, TimeUnit.SECONDS).getTTL())
                .isEqualTo(-1);
    }

    @Test
    void revokingAnUnknownLeaseIsNotFound() {
        long id = 0x1234_5678L;
        assertThatThrownBy(() -> lease.revoke(id).get(TIMEOUT_SECONDS, TimeUnit.SECONDS))
                .isInstanceOf(ExecutionException.class)
                .hasMessageContaining("etcdserver: requested lease not found");
    }
}
