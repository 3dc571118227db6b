package io.etcdj.server.lease;

import io.etcdj.api.etcdserverpb.LeaseCheckpoint;
import io.etcdj.api.etcdserverpb.LeaseCheckpointRequest;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.BooleanSupplier;
import java.util.function.Function;
import java.util.function.LongConsumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The leader's lease loop (etcd's lessor runLoop): every {@value #CHECK_INTERVAL_MS} ms, if this
 * member leads, hands at most {@value #MAX_REVOKES_PER_SECOND} per second of expired leases to
 * {@code proposeRevoke} (a LeaseRevoke proposal through raft; the lease goes away when it applies)
 * and proposes the due checkpoints, at most {@value Lessor#MAX_CHECKPOINTS_PER_PROPOSAL} per
 * LeaseCheckpoint entry. On gaining leadership every lease first counts down afresh from its
 * checkpointed remaining TTL or its full TTL (etcd's Promote); on losing it, checkpoints stop.
 */
public final class ExpiryChecker implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(ExpiryChecker.class);
    static final long CHECK_INTERVAL_MS = 500;
    /** etcd's defaultLeaseRevokeRate. */
    static final int MAX_REVOKES_PER_SECOND = 1_000;
    static final int MAX_REVOKES_PER_CHECK = (int) (MAX_REVOKES_PER_SECOND * CHECK_INTERVAL_MS / 1_000);
    /** Checkpoint proposals per sweep (etcd's leaseCheckpointRate / 2 batches per 500 ms). */
    static final int MAX_CHECKPOINT_PROPOSALS_PER_CHECK = 500;

    private final Lessor lessor;
    private final BooleanSupplier isLeader;
    private final LongConsumer proposeRevoke;
    private final Function<LeaseCheckpointRequest, CompletableFuture<?>> proposeCheckpoint;
    private ScheduledExecutorService timer;
    /** Checker thread only. */
    private boolean wasLeader;

    ExpiryChecker(Lessor lessor, BooleanSupplier isLeader, LongConsumer proposeRevoke,
            Function<LeaseCheckpointRequest, CompletableFuture<?>> proposeCheckpoint) {
        this.lessor = lessor;
        this.isLeader = isLeader;
        this.proposeRevoke = proposeRevoke;
        this.proposeCheckpoint = proposeCheckpoint;
    }

    /** Starts the loop; the first sweep that finds this member leading promotes the lessor. */
    public static ExpiryChecker start(Lessor lessor, BooleanSupplier isLeader, LongConsumer proposeRevoke,
            Function<LeaseCheckpointRequest, CompletableFuture<?>> proposeCheckpoint) {
        ExpiryChecker checker = new ExpiryChecker(lessor, isLeader, proposeRevoke, proposeCheckpoint);
        checker.checkQuietly(); // promote at once if this member already leads
        checker.timer = Executors.newSingleThreadScheduledExecutor(r -> Thread.ofPlatform().name("etcd-lease-expiry")
                .daemon(true).unstarted(r));
        checker.timer.scheduleWithFixedDelay(checker::checkQuietly, CHECK_INTERVAL_MS, CHECK_INTERVAL_MS,
                TimeUnit.MILLISECONDS);
        return checker;
    }

    /** One sweep; returns how many revocations it proposed. */
    int check() {
        if (!isLeader.getAsBoolean()) {
            if (wasLeader) {
                lessor.demote();
                wasLeader = false;
            }
            return 0;
        }
        if (!wasLeader) {
            lessor.promote();
            wasLeader = true;
        }
        int proposed = 0;
        for (long id : lessor.expired(MAX_REVOKES_PER_CHECK)) {
            proposeRevoke.accept(id);
            proposed++;
        }
        proposeDueCheckpoints();
        return proposed;
    }

    /** Proposes the due checkpoints in batches; returns how many LeaseCheckpoint entries it proposed. */
    int proposeDueCheckpoints() {
        int proposals = 0;
        while (proposals < MAX_CHECKPOINT_PROPOSALS_PER_CHECK) {
            List<LeaseCheckpoint> due;
            // Taken and proposed under the lessor's monitor, as a keep-alive's clearing checkpoint
            // is: raft then orders the two as the lessor saw them, so a checkpoint taken before a
            // renewal can never apply after the renewal's clear.
            synchronized (lessor) {
                due = lessor.dueCheckpoints(Lessor.MAX_CHECKPOINTS_PER_PROPOSAL);
                if (!due.isEmpty()) {
                    proposeCheckpoint.apply(LeaseCheckpointRequest.newBuilder().addAllCheckpoints(due).build());
                    proposals++;
                }
            }
            if (due.size() < Lessor.MAX_CHECKPOINTS_PER_PROPOSAL) {
                break;
            }
        }
        return proposals;
    }

    /**
     * On a graceful shutdown, while raft still runs: if this member leads and checkpointing is on,
     * checkpoints every lease that has counted down and waits (at most {@code timeoutMs}) for the
     * entries to apply, so a clean restart resumes each lease where it stood instead of losing up
     * to an interval. Returns how many leases it checkpointed and saw applied.
     */
    public int checkpointAll(long timeoutMs) {
        if (lessor.checkpointIntervalNanos() == 0 || !isLeader.getAsBoolean()) {
            return 0;
        }
        List<LeaseCheckpoint> all;
        List<CompletableFuture<?>> pending = new ArrayList<>();
        synchronized (lessor) { // ordered against keep-alives, as in proposeDueCheckpoints
            all = lessor.allCheckpoints();
            for (int from = 0; from < all.size(); from += Lessor.MAX_CHECKPOINTS_PER_PROPOSAL) {
                List<LeaseCheckpoint> batch = all.subList(from, Math.min(all.size(), from + Lessor.MAX_CHECKPOINTS_PER_PROPOSAL));
                pending.add(proposeCheckpoint.apply(LeaseCheckpointRequest.newBuilder().addAllCheckpoints(batch).build()));
            }
        }
        try {
            CompletableFuture.allOf(pending.toArray(CompletableFuture[]::new)).get(timeoutMs, TimeUnit.MILLISECONDS);
            return all.size();
        } catch (ExecutionException | TimeoutException e) {
            log.atWarn().log("lease checkpoints at shutdown did not all apply: {}", e.toString());
            return 0;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return 0;
        }
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
            try {
                timer.awaitTermination(1, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
