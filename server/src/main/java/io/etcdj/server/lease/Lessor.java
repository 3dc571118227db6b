package io.etcdj.server.lease;

import com.google.protobuf.ByteString;
import com.google.protobuf.CodedInputStream;
import com.google.protobuf.CodedOutputStream;
import io.etcdj.api.etcdserverpb.LeaseCheckpoint;
import io.etcdj.api.etcdserverpb.LeaseCheckpointRequest;
import io.etcdj.api.mvccpb.Event;
import io.etcdj.api.mvccpb.KeyValue;
import io.etcdj.server.apply.LeaseLookup;
import io.etcdj.server.mvcc.ChangeListener;
import io.etcdj.server.mvcc.MvccStore;
import io.etcdj.server.mvcc.RangeOptions;
import io.etcdj.server.mvcc.TxnRead;
import io.etcdj.server.storage.backend.Backend;
import io.etcdj.server.storage.backend.ReadTxn;
import io.etcdj.server.storage.schema.Bucket;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.function.LongSupplier;

/**
 * The member's leases. Replicated state (which leases exist, their TTLs, their keys, their
 * checkpointed remaining TTLs) changes only on the apply thread, through {@link LeaseApplier} and
 * the store's change events; expiry times are this member's own, on the injected clock. One
 * monitor guards everything because three threads touch it (apply, gRPC keep-alives, the expiry
 * checker); every section is short and does no I/O. The monitor also orders checkpoint proposals
 * (periodic ones and a keep-alive's clearing one are proposed while holding it; proposing only
 * enqueues), so raft applies them in the order the lessor took them.
 *
 * <p>Two heaps ({@link DueQueue}) order the leases: by expiry (the revoke sweep pops only what is
 * due) and, on the leader with checkpointing on, by next checkpoint time.
 */
public final class Lessor implements LeaseLookup, ChangeListener {

    /** etcd's MaxLeaseTTL: 9,000,000,000 seconds. */
    public static final long MAX_TTL_SECONDS = 9_000_000_000L;
    /** etcd's maxLeaseCheckpointBatchSize: checkpoints in one LeaseCheckpoint proposal. */
    public static final int MAX_CHECKPOINTS_PER_PROPOSAL = 1_000;
    /** How long an expired lease handed out for revocation waits before it is handed out again (etcd's 3 s). */
    static final long REVOKE_RETRY_NANOS = TimeUnit.SECONDS.toNanos(3);

    private final LongSupplier nanoClock;
    private final long minTtlSeconds;
    /** 0: the leader proposes no periodic checkpoints. */
    private final long checkpointIntervalNanos;
    /** By id: iteration in id order keeps every walk deterministic. */
    private final TreeMap<Long, Lease> leases = new TreeMap<>();
    private final DueQueue expiries = new DueQueue(new DueQueue.Clocked() {
        @Override
        public boolean isCurrent(Lease lease, long atNanos) {
            return lease.dueNanos == atNanos;
        }

        @Override
        public long currentNanos(Lease lease) {
            return lease.dueNanos;
        }
    });
    private final DueQueue checkpoints = new DueQueue(new DueQueue.Clocked() {
        @Override
        public boolean isCurrent(Lease lease, long atNanos) {
            return lease.checkpointScheduled && lease.checkpointNanos == atNanos;
        }

        @Override
        public long currentNanos(Lease lease) {
            return lease.checkpointNanos;
        }
    });
    /** This member leads (between {@link #promote} and {@link #demote}): it schedules checkpoints. */
    private boolean primary;
    /** Proposes a LeaseCheckpoint through raft; the future completes when it applied. */
    private volatile Function<LeaseCheckpointRequest, CompletableFuture<?>> checkpointer;

    /** A lessor without periodic checkpoints. */
    public Lessor(LongSupplier nanoClock, long minTtlSeconds) {
        this(nanoClock, minTtlSeconds, 0);
    }

    /**
     * @param checkpointIntervalNanos how often the leader checkpoints a lease's remaining TTL; 0
     *                                for never (etcd's default, with the LeaseCheckpoint gate off)
     */
    public Lessor(LongSupplier nanoClock, long minTtlSeconds, long checkpointIntervalNanos) {
        if (minTtlSeconds < 1) {
            throw new IllegalArgumentException("minTtlSeconds " + minTtlSeconds + " < 1");
        }
        if (checkpointIntervalNanos < 0) {
            throw new IllegalArgumentException("checkpointIntervalNanos " + checkpointIntervalNanos + " < 0");
        }
        this.nanoClock = nanoClock;
        this.minTtlSeconds = minTtlSeconds;
        this.checkpointIntervalNanos = checkpointIntervalNanos;
    }

    /** etcd's minimum TTL: ⌈1.5 × election timeout⌉ in whole seconds (2 s at the defaults). */
    public static long minTtlSeconds(long electionTimeoutMs) {
        return (3 * electionTimeoutMs + 1999) / 2000;
    }

    /** {@link #recover(Backend, MvccStore, LongSupplier, long, long)} without periodic checkpoints. */
    public static Lessor recover(Backend backend, MvccStore mvcc, LongSupplier nanoClock, long minTtlSeconds) {
        return recover(backend, mvcc, nanoClock, minTtlSeconds, 0);
    }

    /**
     * Loads the leases of the {@code lease} bucket and re-attaches every live key of the store to
     * its lease. Each lease counts down from its checkpointed remaining TTL if one is recorded,
     * else from its full TTL.
     */
    public static Lessor recover(Backend backend, MvccStore mvcc, LongSupplier nanoClock, long minTtlSeconds,
            long checkpointIntervalNanos) {
        Lessor lessor = new Lessor(nanoClock, minTtlSeconds, checkpointIntervalNanos);
        try (ReadTxn txn = backend.beginRead()) {
            txn.forEach(Bucket.LEASE, new byte[0], null, (key, value) -> {
                long[] decoded = decode(value);
                lessor.restore(decoded[0], decoded[1], decoded[2]);
                return true;
            });
        }
        try (TxnRead txn = mvcc.read()) {
            for (KeyValue kv : txn.range(new byte[] {0}, new byte[] {0}, RangeOptions.DEFAULT).kvs()) {
                lessor.attach(kv.getLease(), kv.getKey());
            }
        }
        return lessor;
    }

    public long minTtlSeconds() {
        return minTtlSeconds;
    }

    public long checkpointIntervalNanos() {
        return checkpointIntervalNanos;
    }

    /** Where keep-alives send the LeaseCheckpoint that clears a recorded remaining TTL (etcd's SetCheckpointer). */
    public void setCheckpointer(Function<LeaseCheckpointRequest, CompletableFuture<?>> checkpointer) {
        this.checkpointer = checkpointer;
    }

    @Override
    public synchronized boolean exists(long leaseId) {
        return leases.containsKey(leaseId);
    }

    /** Apply thread, after the lease was persisted: the lease now exists with a full TTL. */
    synchronized void granted(long id, long ttlSeconds) {
        restore(id, ttlSeconds, 0);
    }

    private synchronized void restore(long id, long ttlSeconds, long checkpointedSeconds) {
        Lease lease = new Lease(id, ttlSeconds);
        lease.checkpointedSeconds = checkpointedSeconds;
        long now = nanoClock.getAsLong();
        leases.put(id, lease);
        startCountdown(lease, now);
        scheduleCheckpoint(lease, now);
    }

    /** Apply thread, after the lease's keys were deleted and its record removed. */
    synchronized void revoked(long id) {
        leases.remove(id);
    }

    /**
     * Apply thread, after the checkpoint was persisted: records the remaining TTL a new leader or a
     * restart counts down from (0 clears it). This member's own expiry is left alone: on the leader
     * it is the truth the checkpoint was taken from.
     */
    synchronized void checkpointed(long id, long remainingSeconds) {
        Lease lease = leases.get(id);
        if (lease != null) {
            lease.checkpointedSeconds = Math.max(0, remainingSeconds);
            lease.checkpointInFlight = false;
        }
    }

    /** The lease's granted TTL, or -1 if it does not exist. */
    synchronized long ttlSeconds(long id) {
        Lease lease = leases.get(id);
        return lease == null ? -1 : lease.ttlSeconds;
    }

    /** The keys attached to {@code id}, in key order; empty if it does not exist. */
    synchronized List<ByteString> keys(long id) {
        Lease lease = leases.get(id);
        return lease == null ? List.of() : List.copyOf(lease.keys);
    }

    /** The store's changes, on the apply thread: a key follows the lease of its newest version. */
    @Override
    public synchronized void onRevision(long revision, List<Event> events) {
        for (Event event : events) {
            if (event.hasPrevKv()) {
                detach(event.getPrevKv().getLease(), event.getPrevKv().getKey());
            }
            if (event.getType() == Event.EventType.PUT) {
                attach(event.getKv().getLease(), event.getKv().getKey());
            }
        }
    }

    private synchronized void attach(long id, ByteString key) {
        Lease lease = id == 0 ? null : leases.get(id);
        if (lease != null) {
            lease.keys.add(key);
        }
    }

    private void detach(long id, ByteString key) {
        Lease lease = id == 0 ? null : leases.get(id);
        if (lease != null) {
            lease.keys.remove(key);
        }
    }

    /**
     * What a keep-alive did.
     *
     * @param ttlSeconds      the granted TTL the lease was refreshed to; 0 if it does not exist
     *                        or has already expired (it is about to be revoked)
     * @param clearCheckpoint a remaining TTL is recorded (or on its way): it must be cleared
     *                        through raft before the renewal is acknowledged, or a restart would
     *                        bring the lease back with the old, shorter remainder
     */
    public record Renewal(long ttlSeconds, boolean clearCheckpoint) {
    }

    /** Refreshes the lease's expiry to a full TTL, locally (see {@link #keepAlive} for the whole keep-alive). */
    public synchronized Renewal renew(long id) {
        Lease lease = leases.get(id);
        long now = nanoClock.getAsLong();
        if (lease == null || lease.expiryNanos - now <= 0) {
            return new Renewal(0, false);
        }
        lease.expiryNanos = now + TimeUnit.SECONDS.toNanos(lease.ttlSeconds);
        lease.dueNanos = lease.expiryNanos;
        expiries.add(lease, lease.dueNanos, leases);
        return new Renewal(lease.ttlSeconds, lease.checkpointedSeconds > 0 || lease.checkpointInFlight);
    }

    /**
     * A keep-alive (etcd's Renew): refreshes the lease and answers its granted TTL; 0 if the
     * lease is gone. If a remaining TTL is recorded, a LeaseCheckpoint with remaining 0 goes
     * through raft first and the answer waits for it to apply (etcd 3.6 does the same), so an
     * acknowledged renewal survives a restart. At most two checkpoint entries per lease per
     * interval: the periodic one and the clearing one.
     */
    public CompletableFuture<Long> keepAlive(long id) {
        Function<LeaseCheckpointRequest, CompletableFuture<?>> cp = checkpointer;
        Renewal renewal;
        CompletableFuture<?> cleared = null;
        // The clearing checkpoint is proposed under the monitor, as the periodic ones are
        // (ExpiryChecker): raft orders them as this lessor saw them. Proposing only enqueues.
        synchronized (this) {
            renewal = renew(id);
            if (renewal.clearCheckpoint() && cp != null) {
                cleared = cp.apply(LeaseCheckpointRequest.newBuilder()
                        .addCheckpoints(LeaseCheckpoint.newBuilder().setID(id).setRemainingTTL(0)).build());
            }
        }
        long ttl = renewal.ttlSeconds();
        return cleared == null ? CompletableFuture.completedFuture(ttl) : cleared.thenApply(ignored -> ttl);
    }

    public synchronized Optional<LeaseView> timeToLive(long id) {
        Lease lease = leases.get(id);
        if (lease == null) {
            return Optional.empty();
        }
        long remaining = Math.max(0, TimeUnit.NANOSECONDS.toSeconds(lease.expiryNanos - nanoClock.getAsLong()));
        return Optional.of(new LeaseView(id, lease.ttlSeconds, remaining, List.copyOf(lease.keys)));
    }

    public synchronized List<Long> ids() {
        return List.copyOf(leases.keySet());
    }

    /**
     * Up to {@code limit} leases past their expiry, earliest expiry first, not handed out in the
     * last 3 s; each is handed out once per retry interval so a lost proposal is retried but a
     * slow one is not duplicated. Costs O(handed out · log n): only due leases leave the heap.
     */
    public synchronized List<Long> expired(int limit) {
        long now = nanoClock.getAsLong();
        List<Long> out = new ArrayList<>();
        while (out.size() < limit) {
            Lease lease = expiries.pollDue(now, leases);
            if (lease == null) {
                break;
            }
            lease.dueNanos = now + REVOKE_RETRY_NANOS;
            expiries.add(lease, lease.dueNanos, leases);
            out.add(lease.id);
        }
        return out;
    }

    /**
     * On becoming leader (etcd's Promote): every lease counts down afresh from its checkpointed
     * remaining TTL, or its full TTL if none is recorded, and periodic checkpoints are scheduled.
     */
    public synchronized void promote() {
        primary = true;
        long now = nanoClock.getAsLong();
        for (Lease lease : leases.values()) {
            lease.expiryNanos = now + TimeUnit.SECONDS.toNanos(lease.restartSeconds());
            lease.dueNanos = lease.expiryNanos;
            lease.checkpointInFlight = false;
            lease.checkpointScheduled = false;
            scheduleCheckpoint(lease, now);
        }
        expiries.rebuild(leases, lease -> true);
        checkpoints.rebuild(leases, lease -> lease.checkpointScheduled);
    }

    /** On losing leadership: no more checkpoints from this member. */
    public synchronized void demote() {
        primary = false;
        checkpoints.clear();
        for (Lease lease : leases.values()) {
            lease.checkpointScheduled = false;
        }
    }

    /**
     * Up to {@code limit} checkpoints that are due (etcd's findDueScheduledCheckpoints): for each
     * lease whose interval has passed, its remaining TTL rounded UP to whole seconds (a restart
     * never shortens a lease), unless it is expired or still has its full TTL. Every checked
     * lease is scheduled again one interval later.
     */
    public synchronized List<LeaseCheckpoint> dueCheckpoints(int limit) {
        long now = nanoClock.getAsLong();
        List<LeaseCheckpoint> out = new ArrayList<>();
        while (out.size() < limit) {
            Lease lease = checkpoints.pollDue(now, leases);
            if (lease == null) {
                break;
            }
            lease.checkpointScheduled = false;
            scheduleCheckpoint(lease, now);
            long remaining = remainingSecondsCeil(lease, now);
            if (remaining > 0 && remaining < lease.ttlSeconds) {
                lease.checkpointInFlight = true;
                out.add(LeaseCheckpoint.newBuilder().setID(lease.id).setRemainingTTL(remaining).build());
            }
        }
        return out;
    }

    /**
     * Every lease that has counted down at all, with its remaining TTL rounded up: proposed on a
     * graceful shutdown so a clean restart resumes each lease where it stood.
     */
    public synchronized List<LeaseCheckpoint> allCheckpoints() {
        long now = nanoClock.getAsLong();
        List<LeaseCheckpoint> out = new ArrayList<>();
        for (Lease lease : leases.values()) {
            long remaining = remainingSecondsCeil(lease, now);
            if (remaining > 0 && (remaining < lease.ttlSeconds || lease.checkpointedSeconds > 0)) {
                lease.checkpointInFlight = true;
                out.add(LeaseCheckpoint.newBuilder().setID(lease.id)
                        .setRemainingTTL(remaining >= lease.ttlSeconds ? 0 : remaining).build());
            }
        }
        return out;
    }

    /** The checkpointed remaining TTL recorded for {@code id}: 0 for none, -1 for no such lease. */
    public synchronized long checkpointedSeconds(long id) {
        Lease lease = leases.get(id);
        return lease == null ? -1 : lease.checkpointedSeconds;
    }

    /** The expiry heap, for tests of its cost and size. */
    synchronized DueQueue expiryQueue() {
        return expiries;
    }

    private static long remainingSecondsCeil(Lease lease, long now) {
        long left = lease.expiryNanos - now;
        return left <= 0 ? 0 : (left + TimeUnit.SECONDS.toNanos(1) - 1) / TimeUnit.SECONDS.toNanos(1);
    }

    private void startCountdown(Lease lease, long now) {
        lease.expiryNanos = now + TimeUnit.SECONDS.toNanos(lease.restartSeconds());
        lease.dueNanos = lease.expiryNanos;
        expiries.add(lease, lease.dueNanos, leases);
    }

    /**
     * On the leader with checkpointing on, a lease whose TTL is longer than the interval is looked
     * at one interval from now (a shorter lease loses at most its TTL ≤ the interval on a restart).
     */
    private void scheduleCheckpoint(Lease lease, long now) {
        if (!primary || checkpointIntervalNanos == 0
                || TimeUnit.SECONDS.toNanos(lease.ttlSeconds) <= checkpointIntervalNanos) {
            return;
        }
        lease.checkpointNanos = now + checkpointIntervalNanos;
        lease.checkpointScheduled = true;
        checkpoints.add(lease, lease.checkpointNanos, leases);
    }

    /** The lease bucket's key: the id, 8 bytes big-endian (etcd's layout). */
    static byte[] key(long id) {
        return ByteBuffer.allocate(8).putLong(id).array();
    }

    /** The lease bucket's value: etcd's leasepb.Lease {ID = 1, TTL = 2, RemainingTTL = 3 (omitted when 0)}. */
    static byte[] encode(long id, long ttlSeconds, long remainingSeconds) {
        int size = CodedOutputStream.computeInt64Size(1, id) + CodedOutputStream.computeInt64Size(2, ttlSeconds)
                + (remainingSeconds != 0 ? CodedOutputStream.computeInt64Size(3, remainingSeconds) : 0);
        byte[] out = new byte[size];
        CodedOutputStream stream = CodedOutputStream.newInstance(out);
        try {
            stream.writeInt64(1, id);
            stream.writeInt64(2, ttlSeconds);
            if (remainingSeconds != 0) {
                stream.writeInt64(3, remainingSeconds);
            }
            stream.checkNoSpaceLeft();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out;
    }

    static byte[] encode(long id, long ttlSeconds) {
        return encode(id, ttlSeconds, 0);
    }

    /** {id, ttl, remainingTtl} of a lease bucket value; unknown fields are skipped. */
    static long[] decode(byte[] value) {
        long[] out = new long[3];
        CodedInputStream in = CodedInputStream.newInstance(value);
        try {
            for (int tag = in.readTag(); tag != 0; tag = in.readTag()) {
                switch (tag >>> 3) {
                    case 1 -> out[0] = in.readInt64();
                    case 2 -> out[1] = in.readInt64();
                    case 3 -> out[2] = in.readInt64();
                    default -> in.skipField(tag);
                }
            }
        } catch (IOException e) {
            throw new IllegalStateException("lease bucket: bad lease record: " + e.getMessage(), e);
        }
        return out;
    }
}
