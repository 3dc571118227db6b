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
    /** This member's view of when the lease expires, on the lessor's clock; not replicated. */
    long expiryNanos;
    /** Not before this time is the lease handed out again for revocation (a lost proposal is retried). */
    long retryNanos;

    Lease(long id, long ttlSeconds) {
        this.id = id;
        this.ttlSeconds = ttlSeconds;
    }
}
