package io.etcdj.tests.e2e;

import io.etcdj.tests.framework.ReferenceEtcd;
import java.nio.file.Path;
import org.junit.jupiter.api.Tag;

/** {@link MaxConcurrentStreamsE2eTest}'s expectations against the real etcd 3.4.23. */
@Tag("e2e")
class MaxConcurrentStreamsReferenceE2eTest extends MaxConcurrentStreamsE2eTest {

    @Override
    Server startServer(Path dir, String... args) {
        ReferenceEtcd etcd = ReferenceEtcd.start(dir, 10_000, args);
        return new Server(etcd.endpoint(), etcd.clientPort(), etcd);
    }

    @Override
    long advertisedByDefault() {
        return 0xFFFF_FFFFL;
    }
}
