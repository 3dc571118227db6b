package io.etcdj.server.lease;

import com.google.protobuf.ByteString;
import java.util.TreeSet;

/** One lease's state inside the {@link Lessor}; guarded by the lessor's monitor. */
final class Lease {

    final long id;
    /** Granted TTL in seconds (after the minimum was applied). */
    final long ttlSeconds;
    /** Attached keys, in key order (deterministic iteration for revoke). */
    final TreeSet<ByteString> keys = new TreeSet<>(ByteString.unsignedLexicographicalComparator());
    /**
     * The last applied checkpoint's remaining TTL in seconds, 0 for none (replicated and persisted
     * as leasepb.Lease.RemainingTTL): a new leader or a restarted member counts down from it.
     */
    long checkpointedSeconds;
    /** A checkpoint for this lease was proposed and has not applied yet (leader only). */
    boolean checkpointInFlight;
    /** This member's view of when the lease expires, on the lessor's clock; not replicated. */
    long expiryNanos;
    /** When the expiry queue next looks at the lease: its expiry, or the revoke retry time once handed out. */
    long dueNanos;
    /** When the leader next considers a checkpoint; meaningful while {@link #checkpointScheduled}. */
    long checkpointNanos;
    boolean checkpointScheduled;

    Lease(long id, long ttlSeconds) {
        this.id = id;
        this.ttlSeconds = ttlSeconds;
    }

    /** Seconds a fresh countdown starts from: the checkpointed remainder if one is recorded, else the TTL. */
    long restartSeconds() {
        return checkpointedSeconds > 0 ? Math.min(checkpointedSeconds, ttlSeconds) : ttlSeconds;
    }
}
