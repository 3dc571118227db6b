package io.etcdj.tests.e2e;

import io.etcdj.tests.framework.ReferenceEtcd;
import java.nio.file.Path;
import org.junit.jupiter.api.Tag;

/** The expectations of {@link LockEtcdctlE2eTest} checked against the real etcd 3.4.23. */
@Tag("e2e")
class LockEtcdctlReferenceE2eTest extends LockEtcdctlE2eTest {
    private static final long SNAPSHOT_COUNT = 10_000;

    @Override
    String startServer(Path dir) {
        ReferenceEtcd etcd = ReferenceEtcd.start(dir, SNAPSHOT_COUNT);
        serving(etcd);
        return etcd.endpoint();
    }
}
