package io.etcdj.tests.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.etcd.jetcd.lock.LockResponse;
import io.etcdj.tests.framework.ReferenceEtcd;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Tag;

/** The expectations of {@link LockJetcdE2eTest} checked against the real etcd 3.4.23. */
@Tag("e2e")
class LockJetcdReferenceE2eTest extends LockJetcdE2eTest {
    private static final long SNAPSHOT_COUNT = 10_000;

    @Override
    AutoCloseable startServer(Path dir) {
        ReferenceEtcd etcd = ReferenceEtcd.start(dir, SNAPSHOT_COUNT);
        clientUrl = etcd.clientUrl();
        endpoint = etcd.endpoint();
        return etcd;
    }

    /** etcd 3.4's mutex never looks at its own key again: the waiter is told it holds the lock. */
    @Override
    void expectLostWaiterOutcome(CompletableFuture<LockResponse> waiting) {
        assertThat(waiting).succeedsWithin(Duration.ofSeconds(30));
    }
}
