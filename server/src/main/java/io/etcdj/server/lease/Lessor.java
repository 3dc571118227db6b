package io.etcdj.server.lease;

import com.google.protobuf.ByteString;
import com.google.protobuf.CodedInputStream;
import com.google.protobuf.CodedOutputStream;
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
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

/**
 * The member's leases. Replicated state (which leases exist, their TTLs, their keys) changes only
 * on the apply thread, through {@link LeaseApplier} and the store's change events; expiry times
 * are this member's own, on the injected clock. One monitor guards everything because three
 * threads touch it (apply, gRPC keep-alives, the expiry checker); every section is short and does
 * no I/O.
 */
public final class Lessor implements LeaseLookup, ChangeListener {

    /** etcd's MaxLeaseTTL: 9,000,000,000 seconds. */
    public static final long MAX_TTL_SECONDS = 9_000_000_000L;
    /** How long an expired lease handed out for revocation waits before it is handed out again (etcd's 3 s). */
    static final long REVOKE_RETRY_NANOS = TimeUnit.SECONDS.toNanos(3);

    private final LongSupplier nanoClock;
    private final long minTtlSeconds;
    /** By id: iteration in id order keeps every walk deterministic. */
    private final TreeMap<Long, Lease> leases = new TreeMap<>();

    public Lessor(LongSupplier nanoClock, long minTtlSeconds) {
        if (minTtlSeconds < 1) {
            throw new IllegalArgumentException("minTtlSeconds " + minTtlSeconds + " < 1");
        }
        this.nanoClock = nanoClock;
        this.minTtlSeconds = minTtlSeconds;
    }

    /** etcd's minimum TTL: ⌈1.5 × election timeout⌉ in whole seconds (2 s at the defaults). */
    public static long minTtlSeconds(long electionTimeoutMs) {
        return (3 * electionTimeoutMs + 1999) / 2000;
    }

    /**
     * Loads the leases of the {@code lease} bucket (expiry refreshed to the full TTL) and
     * re-attaches every live key of the store to its lease.
     */
    public static Lessor recover(Backend backend, MvccStore mvcc, LongSupplier nanoClock, long minTtlSeconds) {
        Lessor lessor = new Lessor(nanoClock, minTtlSeconds);
        try (ReadTxn txn = backend.beginRead()) {
            txn.forEach(Bucket.LEASE, new byte[0], null, (key, value) -> {
                long[] decoded = decode(value);
                lessor.granted(decoded[0], decoded[1]);
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

    @Override
    public synchronized boolean exists(long leaseId) {
        return leases.containsKey(leaseId);
    }

    /** Apply thread, after the lease was persisted: the lease now exists with a full TTL. */
    synchronized void granted(long id, long ttlSeconds) {
        Lease lease = new Lease(id, ttlSeconds);
        lease.expiryNanos = nanoClock.getAsLong() + TimeUnit.SECONDS.toNanos(ttlSeconds);
        leases.put(id, lease);
    }

    /** Apply thread, after the lease's keys were deleted and its record removed. */
    synchronized void revoked(long id) {
        leases.remove(id);
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
     * A keep-alive: refreshes the lease's expiry to a full TTL and returns the TTL; 0 if the lease
     * does not exist or has already expired (it is about to be revoked).
     */
    public synchronized long renew(long id) {
        Lease lease = leases.get(id);
        long now = nanoClock.getAsLong();
        if (lease == null || lease.expiryNanos - now <= 0) {
            return 0;
        }
        lease.expiryNanos = now + TimeUnit.SECONDS.toNanos(lease.ttlSeconds);
        return lease.ttlSeconds;
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
     * Up to {@code limit} leases past their expiry, in id order, not handed out in the last 3 s;
     * each is handed out once per retry interval so a lost proposal is retried but a slow one is
     * not duplicated. A linear walk per call (every 500 ms); etcd keeps a heap instead.
     */
    public synchronized List<Long> expired(int limit) {
        long now = nanoClock.getAsLong();
        List<Long> out = new ArrayList<>();
        for (Lease lease : leases.values()) {
            if (out.size() >= limit) {
                break;
            }
            if (lease.expiryNanos - now <= 0 && lease.retryNanos - now <= 0) {
                lease.retryNanos = now + REVOKE_RETRY_NANOS;
                out.add(lease.id);
            }
        }
        return out;
    }

    /** On becoming leader (etcd's Promote): every lease gets its full TTL again. */
    public synchronized void refreshAll() {
        long now = nanoClock.getAsLong();
        for (Lease lease : leases.values()) {
            lease.expiryNanos = now + TimeUnit.SECONDS.toNanos(lease.ttlSeconds);
            lease.retryNanos = now;
        }
    }

    /** The lease bucket's key: the id, 8 bytes big-endian (etcd's layout). */
    static byte[] key(long id) {
        return ByteBuffer.allocate(8).putLong(id).array();
    }

    /** The lease bucket's value: etcd's leasepb.Lease {ID = 1, TTL = 2, RemainingTTL = 3}. */
    static byte[] encode(long id, long ttlSeconds) {
        byte[] out = new byte[CodedOutputStream.computeInt64Size(1, id) + CodedOutputStream.computeInt64Size(2, ttlSeconds)];
        CodedOutputStream stream = CodedOutputStream.newInstance(out);
        try {
            stream.writeInt64(1, id);
            stream.writeInt64(2, ttlSeconds);
            stream.checkNoSpaceLeft();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out;
    }

    /** {id, ttl} of a lease bucket value; unknown fields (RemainingTTL) are skipped. */
    static long[] decode(byte[] value) {
        long[] out = new long[2];
        CodedInputStream in = CodedInputStream.newInstance(value);
        try {
            for (int tag = in.readTag(); tag != 0; tag = in.readTag()) {
                switch (tag >>> 3) {
                    case 1 -> out[0] = in.readInt64();
                    case 2 -> out[1] = in.readInt64();
                    default -> in.skipField(tag);
                }
            }
        } catch (IOException e) {
            throw new IllegalStateException("lease bucket: bad lease record: " + e.getMessage(), e);
        }
        return out;
    }
}
