package io.etcdj.server.lease;

import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.function.LongConsumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The leader's expiry sweep: every {@value #CHECK_INTERVAL_MS} ms, if this member leads, hands at
 * most {@value #MAX_REVOKES_PER_SECOND} per second of expired leases to {@code proposeRevoke}
 * (a LeaseRevoke proposal through raft; the lease goes away when it applies). On gaining
 * leadership every lease first gets its full TTL again, as etcd's Promote does.
 */
public final class ExpiryChecker implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(ExpiryChecker.class);
    static final long CHECK_INTERVAL_MS = 500;
    /** etcd's defaultLeaseRevokeRate. */
    static final int MAX_REVOKES_PER_SECOND = 1_000;
    static final int MAX_REVOKES_PER_CHECK = (int) (MAX_REVOKES_PER_SECOND * CHECK_INTERVAL_MS / 1_000);

    private final Lessor lessor;
    private final BooleanSupplier isLeader;
    private final LongConsumer proposeRevoke;
    private ScheduledExecutorService timer;
    /** Checker thread only. */
    private boolean wasLeader;

    ExpiryChecker(Lessor lessor, BooleanSupplier isLeader, LongConsumer proposeRevoke, boolean wasLeader) {
        this.lessor = lessor;
        this.isLeader = isLeader;
        this.proposeRevoke = proposeRevoke;
        this.wasLeader = wasLeader;
    }

    /**
     * Starts the sweep. The lessor was just loaded with refreshed expiries, so a member that
     * already leads at start does not refresh again.
     */
    public static ExpiryChecker start(Lessor lessor, BooleanSupplier isLeader, LongConsumer proposeRevoke) {
        ExpiryChecker checker = new ExpiryChecker(lessor, isLeader, proposeRevoke, isLeader.getAsBoolean());
        checker.timer = Executors.newSingleThreadScheduledExecutor(r -> Thread.ofPlatform().name("etcd-lease-expiry")
                .daemon(true).unstarted(r));
        checker.timer.scheduleWithFixedDelay(checker::checkQuietly, CHECK_INTERVAL_MS, CHECK_INTERVAL_MS,
                TimeUnit.MILLISECONDS);
        return checker;
    }

    /** One sweep; returns how many revocations it proposed. */
    int check() {
        if (!isLeader.getAsBoolean()) {
            wasLeader = false;
            return 0;
        }
        if (!wasLeader) {
            lessor.refreshAll();
            wasLeader = true;
        }
        int proposed = 0;
        for (long id : lessor.expired(MAX_REVOKES_PER_CHECK)) {
            proposeRevoke.accept(id);
            proposed++;
        }
        return proposed;
    }

    private void checkQuietly() {
        try {
            check();
        } catch (RuntimeException e) {
            log.atWarn().setCause(e).log("lease expiry check failed: {}", e.getMessage());
        }
    }

    @Override
    public void close() {
        if (timer != null) {
            timer.shutdownNow();
        }
    }
}
