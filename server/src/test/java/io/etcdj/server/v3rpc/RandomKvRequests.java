package io.etcdj.server.v3rpc;

import static io.etcdj.server.apply.Kv.b;

import com.google.protobuf.Message;
import io.etcdj.api.etcdserverpb.Compare;
import io.etcdj.api.etcdserverpb.CompactionRequest;
import io.etcdj.api.etcdserverpb.DeleteRangeRequest;
import io.etcdj.api.etcdserverpb.KVGrpc;
import io.etcdj.api.etcdserverpb.PutRequest;
import io.etcdj.api.etcdserverpb.RangeRequest;
import io.etcdj.api.etcdserverpb.RequestOp;
import io.etcdj.api.etcdserverpb.TxnRequest;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.function.Function;

/**
 * Random KV requests over six keys and five values, from a seed: puts with every flag, deletes of
 * keys and ranges, ranges with every option and revisions around the current one (some future,
 * some compacted), txns with random compares, branches and nested txns, and now and then a
 * compaction. Small key and value spaces make compares hold, duplicates collide and sort ties
 * happen often.
 */
final class RandomKvRequests {
    private static final String[] VALUES = {"", "a", "b", "c", "d"};
    private final Random random;
    private long lastCompaction;
    /** The request {@link #next} drew last, for failure messages. */
    Message last;

    RandomKvRequests(long seed) {
        this.random = new Random(seed);
    }

    /** The next call; {@code revision} is the store's current revision (from the oracle's last answer). */
    Function<KVGrpc.KVBlockingStub, Message> next(long revision) {
        int kind = random.nextInt(100);
        if (kind < 30) {
            PutRequest r = put();
            last = r;
            return kv -> kv.put(r);
        }
        if (kind < 40) {
            DeleteRangeRequest r = delete();
            last = r;
            return kv -> kv.deleteRange(r);
        }
        if (kind < 62) {
            RangeRequest r = range(revision);
            last = r;
            return kv -> kv.range(r);
        }
        if (kind < 98 || revision - 3 <= lastCompaction) {
            TxnRequest drawn = txn(revision, 2);
            while (crashesEtcd(drawn)) {
                drawn = txn(revision, 2);
            }
            TxnRequest r = drawn;
            last = r;
            return kv -> kv.txn(r);
        }
        lastCompaction = revision - 3;
        CompactionRequest r = CompactionRequest.newBuilder().setRevision(lastCompaction).setPhysical(true).build();
        last = r;
        return kv -> kv.compact(r);
    }

    /**
     * Txns on which etcd 3.4 cannot be the oracle, drawn again: a delete to "\0" with an ignore_*
     * put (etcd may panic; we answer key not found, see KvApplierTxnTest), and a range at a
     * revision together with a put that can fail (3.4 checks all puts before all ranges; 3.6, like
     * us, checks ops in order). Both are covered by fixed tests instead.
     */
    private static boolean crashesEtcd(TxnRequest r) {
        boolean[] seen = new boolean[4]; // delete to end, ignore put, range at a revision, fallible put
        scan(r, seen);
        return (seen[0] && seen[1]) || (seen[2] && seen[3]);
    }

    private static void scan(TxnRequest r, boolean[] seen) {
        List<RequestOp> ops = new ArrayList<>(r.getSuccessList());
        ops.addAll(r.getFailureList());
        for (RequestOp op : ops) {
            switch (op.getRequestCase()) {
                case REQUEST_DELETE_RANGE -> seen[0] |= op.getRequestDeleteRange().getRangeEnd().equals(b("\0"));
                case REQUEST_PUT -> {
                    PutRequest p = op.getRequestPut();
                    seen[1] |= p.getIgnoreValue() || p.getIgnoreLease();
                    seen[3] |= p.getIgnoreValue() || p.getIgnoreLease() || p.getLease() != 0;
                }
                case REQUEST_RANGE -> seen[2] |= op.getRequestRange().getRevision() != 0;
                case REQUEST_TXN -> scan(op.getRequestTxn(), seen);
                default -> {
                }
            }
        }
    }

    private String key() {
        return "k" + random.nextInt(6);
    }

    private String end() {
        return switch (random.nextInt(4)) {
            case 0 -> "\0";
            case 1 -> "k" + random.nextInt(7); // may be below the key: an empty range
            default -> "";
        };
    }

    private PutRequest put() {
        PutRequest.Builder r = PutRequest.newBuilder().setKey(b(key())).setPrevKv(random.nextBoolean());
        int flavour = random.nextInt(10);
        if (flavour < 2) {
            r.setIgnoreValue(true);
        } else {
            r.setValue(b(VALUES[random.nextInt(VALUES.length)]));
        }
        if (flavour == 2 || flavour == 3) {
            r.setIgnoreLease(true);
        } else if (flavour == 4) {
            r.setLease(KvScenario.LEASE);
        } else if (flavour == 5 && random.nextInt(3) == 0) {
            r.setLease(0x99); // unknown
        }
        return r.build();
    }

    private DeleteRangeRequest delete() {
        return DeleteRangeRequest.newBuilder().setKey(b(key())).setRangeEnd(b(end()))
                .setPrevKv(random.nextBoolean()).build();
    }

    private long revisionAround(long revision) {
        return switch (random.nextInt(6)) {
            case 0 -> revision - random.nextInt(6);
            case 1 -> revision + random.nextInt(2);
            case 2 -> -random.nextInt(3);
            default -> 0;
        };
    }

    private RangeRequest range(long revision) {
        RangeRequest.Builder r = RangeRequest.newBuilder().setKey(b(key())).setRangeEnd(b(end()))
                .setLimit(random.nextInt(5) - 1)
                .setSortOrderValue(random.nextInt(3)).setSortTargetValue(random.nextInt(5))
                .setKeysOnly(random.nextInt(5) == 0).setCountOnly(random.nextInt(8) == 0)
                .setRevision(revisionAround(revision));
        if (random.nextInt(4) == 0) {
            r.setMinModRevision(random.nextInt((int) Math.max(1, revision)));
            r.setMaxCreateRevision(random.nextInt((int) Math.max(1, revision + 1)));
        }
        if (random.nextInt(6) == 0) {
            r.setMaxModRevision(revision - random.nextInt(4));
            r.setMinCreateRevision(random.nextInt(3));
        }
        return r.build();
    }

    private Compare compare(long revision) {
        Compare.Builder c = Compare.newBuilder().setKey(b(key())).setResultValue(random.nextInt(4))
                .setTargetValue(random.nextInt(5));
        if (random.nextInt(4) == 0) {
            c.setRangeEnd(b(end()));
        }
        long near = random.nextInt((int) Math.max(1, revision + 2));
        switch (random.nextInt(5)) {
            case 0 -> c.setVersion(random.nextInt(4));
            case 1 -> c.setCreateRevision(near);
            case 2 -> c.setModRevision(near);
            case 3 -> c.setValue(b(VALUES[random.nextInt(VALUES.length)]));
            default -> c.setLease(random.nextBoolean() ? KvScenario.LEASE : 0);
        }
        return c.build();
    }

    private TxnRequest txn(long revision, int depth) {
        TxnRequest.Builder t = TxnRequest.newBuilder();
        for (int i = random.nextInt(3); i > 0; i--) {
            t.addCompare(compare(revision));
        }
        for (int i = random.nextInt(4); i > 0; i--) {
            t.addSuccess(op(revision, depth));
        }
        for (int i = random.nextInt(3); i > 0; i--) {
            t.addFailure(op(revision, depth));
        }
        return t.build();
    }

    private RequestOp op(long revision, int depth) {
        int kind = random.nextInt(depth > 0 ? 10 : 9);
        RequestOp.Builder op = RequestOp.newBuilder();
        if (kind < 4) {
            op.setRequestPut(put());
        } else if (kind < 6) {
            op.setRequestDeleteRange(delete());
        } else if (kind < 9) {
            op.setRequestRange(range(revision));
        } else {
            op.setRequestTxn(txn(revision, depth - 1));
        }
        return op.build();
    }
}
