package io.etcdj.tests.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.etcd.jetcd.ByteSequence;
import io.etcd.jetcd.Client;
import io.etcd.jetcd.common.exception.ErrorCode;
import io.etcd.jetcd.common.exception.EtcdException;
import io.etcdj.tests.framework.SpawnedEtcd;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * jetcd, the Java etcd client, against the spawned server: KV round trips, and etcd's
 * Unimplemented for a service not built yet. jetcd's KV API in depth: KvJetcdE2eTest.
 */
@Tag("e2e")
class JetcdE2eTest {

    @TempDir
    Path workDir;

    @Test
    void jetcdPutsAndGetsAndSeesUnimplementedForTheClusterService() throws Exception {
        try (SpawnedEtcd etcd = SpawnedEtcd.start(workDir);
                Client client = Client.builder().endpoints(etcd.clientUrl()).build()) {
            ByteSequence key = ByteSequence.from("a", StandardCharsets.UTF_8);
            ByteSequence value = ByteSequence.from("b", StandardCharsets.UTF_8);

            client.getKVClient().put(key, value).get(30, TimeUnit.SECONDS);
            var got = client.getKVClient().get(key).get(30, TimeUnit.SECONDS);
            assertThat(got.getKvs()).singleElement().satisfies(kv -> {
                assertThat(kv.getValue()).isEqualTo(value);
                assertThat(kv.getVersion()).isEqualTo(1);
            });
            // Leases and locks are served now (LeaseJetcdE2eTest, LockJetcdE2eTest); Cluster is not built yet.
            assertThatThrownBy(() -> client.getClusterClient().listMember().get(30, TimeUnit.SECONDS))
                    .isInstanceOf(ExecutionException.class)
                    .cause().isInstanceOfSatisfying(EtcdException.class, // jetcd's Cluster client wraps the status
                            e -> assertThat(e.getErrorCode()).isEqualTo(ErrorCode.UNIMPLEMENTED));
        }
    }
}
