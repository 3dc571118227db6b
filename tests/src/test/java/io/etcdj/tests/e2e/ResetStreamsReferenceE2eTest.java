package io.etcdj.tests.e2e;

import io.etcdj.tests.framework.ReferenceEtcd;
import java.nio.file.Path;
import org.junit.jupiter.api.Tag;

/** {@link ResetStreamsE2eTest}'s expectations against the real etcd 3.4.23. */
@Tag("e2e")
class ResetStreamsReferenceE2eTest extends ResetStreamsE2eTest {

    @Override
    Server startServer(Path dir) {
        ReferenceEtcd etcd = ReferenceEtcd.start(dir, 10_000);
        return new Server(etcd.endpoint(), etcd);
    }
}
