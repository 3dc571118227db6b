package io.etcdj.tests.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.etcd.jetcd.ByteSequence;
import io.etcd.jetcd.Client;
import io.etcdj.tests.framework.SpawnedEtcd;
import io.grpc.Status;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** jetcd, the Java etcd client, reaches the spawned server and gets etcd's Unimplemented. */
@Tag("e2e")
class JetcdSkeletonE2eTest {

    @TempDir
    Path workDir;

    @Test
    void jetcdGetReachesTheServerAndGetsUnimplemented() {
        try (SpawnedEtcd etcd = SpawnedEtcd.start(workDir);
                Client client = Client.builder().endpoints(etcd.clientUrl()).build()) {
            ByteSequence key = ByteSequence.from("a", StandardCharsets.UTF_8);

            assertThatThrownBy(() -> client.getKVClient().get(key).get(30, TimeUnit.SECONDS))
                    .isInstanceOf(ExecutionException.class)
                    .satisfies(e -> assertThat(Status.fromThrowable(e.getCause()).getCode())
                            .isEqualTo(Status.Code.UNIMPLEMENTED));
        }
    }
}
