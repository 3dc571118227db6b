package io.etcdj.tests.e2e;

import io.etcdj.tests.framework.ReferenceEtcd;
import java.nio.file.Path;
import org.junit.jupiter.api.Tag;

/** {@link GrpcKeepAliveE2eTest}'s expectations against the real etcd 3.4.23. */
@Tag("e2e")
class GrpcKeepAliveReferenceE2eTest extends GrpcKeepAliveE2eTest {

    @Override
    Server startServer(Path dir, String... args) {
        ReferenceEtcd etcd = ReferenceEtcd.start(dir, 10_000, args);
        return new Server(etcd.clientPort(), etcd);
    }
}
