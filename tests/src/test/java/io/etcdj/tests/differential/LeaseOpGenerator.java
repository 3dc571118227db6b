package io.etcdj.tests.differential;

import io.etcdj.api.etcdserverpb.LeaseRevokeResponse;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Random lease operations from a seed, following the first server's answers (which leases it
 * granted and revoked). TTLs: below etcd's minimum (−5 … 2 s, raised to the minimum), ordinary
 * (60 … 3600 s), exactly the maximum, above it (refused). Ids: server-chosen, or client-chosen
 * from a pool of four so duplicates happen. Short leases are checked and revoked at once, before
 * they could expire at slightly different moments on the two servers; keys hang only off long
 * ones. Same seed and same answers ⇒ same operations.
 */
final class LeaseOpGenerator {

    static final long MAX_TTL = 9_000_000_000L;
    private static final long[] CLIENT_IDS = {1001, 1002, 1003, 1004};
    private static final String[] KEYS = {"la", "lb", "lc", "ld", "le", "lf"};
    /** Ids no one granted. */
    private static final long[] UNKNOWN_IDS = {424242, 7, Long.MAX_VALUE};

    private final SplittableRandom random;
    private final Deque<LeaseOp> followUps = new ArrayDeque<>();
    private final List<LeaseOp.Ref> live = new ArrayList<>();
    private final List<LeaseOp.Ref> gone = new ArrayList<>();
    private int nextHandle;

    LeaseOpGenerator(long seed) {
        this.random = new SplittableRandom(seed);
    }

    LeaseOp next() {
        if (!followUps.isEmpty()) {
            return followUps.removeFirst();
        }
        int kind = random.nextInt(100);
        if (kind < 20) {
            return grant();
        } else if (kind < 45) {
            return put();
        } else if (kind < 58) {
            return new LeaseOp.TimeToLive(anyRef(), random.nextBoolean());
        } else if (kind < 63) {
            return new LeaseOp.Leases();
        } else if (kind < 73) {
            return new LeaseOp.KeepAliveOnce(anyRef());
        } else if (kind < 85) {
            return new LeaseOp.Revoke(random.nextInt(10) < 7 && !live.isEmpty() ? pick(live) : deadRef());
        }
        return new LeaseOp.RangeAll();
    }

    /** Learns from the first server's answer which leases exist. */
    void observe(LeaseOp op, Outcome outcome) {
        if (outcome.isError()) {
            return;
        }
        switch (op) {
            case LeaseOp.Grant g -> {
                LeaseOp.Ref ref = g.clientId() == 0 ? LeaseOp.Ref.handle(g.handle()) : LeaseOp.Ref.raw(g.clientId());
                gone.remove(ref);
                if (g.ttl() < 60) {
                    followUps.addLast(new LeaseOp.TimeToLive(ref, true));
                    followUps.addLast(new LeaseOp.Revoke(ref));
                } else {
                    live.add(ref);
                }
            }
            case LeaseOp.Revoke r when outcome.response() instanceof LeaseRevokeResponse -> {
                live.remove(r.lease());
                if (!gone.contains(r.lease())) {
                    gone.add(r.lease());
                }
            }
            default -> {
            }
        }
    }

    private LeaseOp grant() {
        int ttlKind = random.nextInt(100);
        long ttl;
        if (ttlKind < 15) {
            ttl = -5 + random.nextInt(8); // -5 … 2: below the 2 s minimum, raised to it
        } else if (ttlKind < 23) {
            ttl = random.nextBoolean() ? MAX_TTL + 1 : Long.MAX_VALUE; // "too large lease TTL"
        } else if (ttlKind < 28) {
            ttl = MAX_TTL;
        } else {
            ttl = 60 + random.nextInt(3_541);
        }
        long clientId = random.nextInt(10) < 3 ? CLIENT_IDS[random.nextInt(CLIENT_IDS.length)] : 0;
        return new LeaseOp.Grant(nextHandle++, ttl, clientId);
    }

    private LeaseOp put() {
        String key = KEYS[random.nextInt(KEYS.length)];
        int leaseKind = random.nextInt(100);
        LeaseOp.Ref lease;
        if (leaseKind < 55 && !live.isEmpty()) {
            lease = pick(live);
        } else if (leaseKind < 65) {
            lease = deadRef();
        } else {
            lease = LeaseOp.Ref.NONE;
        }
        boolean ignoreLease = random.nextInt(10) == 0;
        return new LeaseOp.Put(key, ignoreLease && random.nextBoolean() ? LeaseOp.Ref.NONE : lease, ignoreLease,
                random.nextBoolean());
    }

    /** Mostly a live lease; sometimes a revoked or never-granted one. */
    private LeaseOp.Ref anyRef() {
        return random.nextInt(10) < 7 && !live.isEmpty() ? pick(live) : deadRef();
    }

    private LeaseOp.Ref deadRef() {
        if (!gone.isEmpty() && random.nextBoolean()) {
            return pick(gone);
        }
        return LeaseOp.Ref.raw(UNKNOWN_IDS[random.nextInt(UNKNOWN_IDS.length)]);
    }

    private LeaseOp.Ref pick(List<LeaseOp.Ref> refs) {
        return refs.get(random.nextInt(refs.size()));
    }
}
