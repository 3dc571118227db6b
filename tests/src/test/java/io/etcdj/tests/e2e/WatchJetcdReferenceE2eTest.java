package io.etcdj.tests.e2e;

import io.etcdj.tests.framework.ReferenceEtcd;
import java.nio.file.Path;
import org.junit.jupiter.api.Tag;

/** The expectations of {@link WatchJetcdE2eTest} checked against the real etcd 3.4.23. */
@Tag("e2e")
class WatchJetcdReferenceE2eTest extends WatchJetcdE2eTest {
    private static final long SNAPSHOT_COUNT = 10_000;

    @Override
    AutoCloseable startServer(Path dir, String[] clientUrl) {
        ReferenceEtcd etcd = ReferenceEtcd.start(dir, SNAPSHOT_COUNT);
        clientUrl[0] = etcd.clientUrl();
        return etcd;
    }
}
