package io.etcdj.tests.e2e;

import io.etcdj.tests.framework.ReferenceEtcd;
import java.nio.file.Path;
import org.junit.jupiter.api.Tag;

/**
 * The expectations of {@link KvEtcdctlE2eTest} checked against the real etcd 3.4.23: they were
 * written from its output, and this keeps them honest (an expectation the reference does not meet
 * is a wrong expectation, not an etcdj bug).
 */
@Tag("e2e")
class KvEtcdctlReferenceE2eTest extends KvEtcdctlE2eTest {

    /** etcd's default; the differential test is where small snapshot counts are exercised. */
    private static final long SNAPSHOT_COUNT = 10_000;

    @Override
    AutoCloseable startServer(Path dir) {
        ReferenceEtcd etcd = ReferenceEtcd.start(dir, SNAPSHOT_COUNT);
        endpoint = etcd.endpoint();
        return etcd;
    }
}
