package io.etcdj.server.apply;

import io.etcdj.api.etcdserverpb.DeleteRangeRequest;
import io.etcdj.api.etcdserverpb.DeleteRangeResponse;
import io.etcdj.api.etcdserverpb.PutRequest;
import io.etcdj.api.etcdserverpb.PutResponse;
import io.etcdj.api.etcdserverpb.RangeRequest;
import io.etcdj.api.etcdserverpb.RangeResponse;
import io.etcdj.api.etcdserverpb.RequestOp;
import io.etcdj.api.etcdserverpb.ResponseHeader;
import io.etcdj.api.etcdserverpb.TxnRequest;
import io.etcdj.api.etcdserverpb.TxnResponse;
import io.etcdj.api.mvccpb.KeyValue;
import io.etcdj.api.rpctypes.EtcdError;
import io.etcdj.server.mvcc.CompactedException;
import io.etcdj.server.mvcc.RangeOptions;
import io.etcdj.server.mvcc.RangeResult;
import io.etcdj.server.mvcc.TxnRead;
import io.etcdj.server.mvcc.TxnWrite;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.LongSupplier;

/**
 * etcd's KV applier: Put, DeleteRange, Range and Txn on the MVCC store, with etcd's answers.
 *
 * <p>Writes run inside a {@link TxnWrite} the caller opened on the apply thread; the caller sets
 * the consistent index and ends the txn, so a whole request is one store revision (a Txn is
 * bumped once, and only if it wrote). Reads run on a {@link TxnRead} on any thread.
 *
 * <p>Failures are etcd's {@link io.grpc.StatusRuntimeException}s and are thrown before the first
 * write, so a failed request changes nothing (the store cannot roll back a write): lease missing
 * ({@code requested lease not found}), ignore_value/ignore_lease on a missing key ({@code key not
 * found}), a range revision compacted or in the future. The response headers carry only
 * {@code revision}; the server fills cluster_id, member_id and raft_term.
 *
 * <p>Requests are assumed to have passed v3rpc's validation (non-empty keys, known sort options,
 * no duplicate keys in a txn branch); a request that breaks those assumptions trips an
 * {@link IllegalArgumentException} or {@link IllegalStateException}.
 */
public final class KvApplier {
    /** etcd's compactMainRev before any compaction. */
    private static final long NEVER_COMPACTED = -1;

    private final LeaseLookup leases;
    /** The store's compaction revision; null: learn it from the store (see compactRevision). */
    private final LongSupplier compactRevision;

    /**
     * An applier that learns the compaction revision from the store when it needs it. Exact for
     * every request except a Txn range at revision -1 after a compaction at revision 0 or 1, which
     * etcd rejects as compacted and this constructor lets through; the server should prefer
     * {@link #KvApplier(LeaseLookup, LongSupplier)}.
     */
    public KvApplier(LeaseLookup leases) {
        this(leases, null);
    }

    /** @param compactRevision the store's compaction revision, -1 before any ({@code MvccStore::compactRevision}) */
    public KvApplier(LeaseLookup leases, LongSupplier compactRevision) {
        if (leases == null) {
            throw new IllegalArgumentException("leases is null; pass LeaseLookup.NONE for a store without leases");
        }
        this.leases = leases;
        this.compactRevision = compactRevision;
    }

    /** A Txn whose ops, in both branches, are all ranges (nested txns are not): etcd serves it as a read. */
    public static boolean isReadOnly(TxnRequest r) {
        return allRanges(r.getSuccessList(), false) && allRanges(r.getFailureList(), false);
    }

    /** A read-only Txn whose ranges are all serializable: served from the local store, no ReadIndex. */
    public static boolean isSerializable(TxnRequest r) {
        return allRanges(r.getSuccessList(), true) && allRanges(r.getFailureList(), true);
    }

    private static boolean allRanges(List<RequestOp> ops, boolean serializable) {
        for (RequestOp op : ops) {
            if (op.getRequestCase() != RequestOp.RequestCase.REQUEST_RANGE
                    || (serializable && !op.getRequestRange().getSerializable())) {
                return false;
            }
        }
        return true;
    }

    /** Put: lease exists, then ignore_* find the key; header revision = the new revision. */
    public PutResponse put(TxnWrite txn, PutRequest r) {
        // etcd's standalone Put checks the lease before the key (inside a Txn it is the other way).
        checkLease(r);
        KeyValue prev = checkPrevious(txn, r);
        return TxnExecution.put(txn, r, prev);
    }

    /** DeleteRange: header revision = the new revision if anything in the txn changed, else the current one. */
    public DeleteRangeResponse deleteRange(TxnWrite txn, DeleteRangeRequest r) {
        return TxnExecution.deleteRange(txn, r);
    }

    /** Range at {@code r.revision} (≤ 0: the txn's); header revision = the txn's revision, not the one read. */
    public RangeResponse range(TxnRead txn, RangeRequest r) {
        return RangeRequests.execute(txn, r);
    }

    /**
     * A Txn through raft: branches decided and every precondition of the chosen ops checked on the
     * store as it was before the txn, then the ops applied in order, each seeing the earlier ones.
     */
    public TxnResponse txn(TxnWrite txn, TxnRequest r) {
        return runTxn(txn, r);
    }

    /** A Txn served as a read ({@link #isReadOnly}); the header revision is the read revision. */
    public TxnResponse readOnlyTxn(TxnRead txn, TxnRequest r) {
        if (!isReadOnly(r)) {
            throw new IllegalArgumentException("readOnlyTxn given a txn that can write");
        }
        return runTxn(txn, r);
    }

    private TxnResponse runTxn(TxnRead txn, TxnRequest r) {
        TxnPlan plan = TxnPlan.decide(txn, r);
        checkPlan(txn, plan, new ArrayList<>());
        TxnResponse.Builder response = TxnExecution.run(txn, plan);
        // The txn's revision after its writes: current + 1 if it wrote anything, else current.
        return response.setHeader(ResponseHeader.newBuilder().setRevision(txn.revision())).build();
    }

    /**
     * etcd's checkTxn: every op of the chosen branches, in order, nested txns depth first.
     *
     * <p>One check etcd lacks: an ignore_value/ignore_lease put of a key that an earlier delete of
     * the same txn removes. etcd's duplicate-key rule misses it when the delete's range_end is
     * "\0" (it reads that end literally), its pre-txn check finds the key, and the put then fails
     * half-way through the txn, which etcd answers with a panic on every member (docs/kv.md). We
     * answer {@code key not found} before any write instead.
     */
    private void checkPlan(TxnRead view, TxnPlan plan, List<DeleteRangeRequest> deletesSoFar) {
        for (int i = 0; i < plan.ops().size(); i++) {
            RequestOp op = plan.ops().get(i);
            switch (op.getRequestCase()) {
                case REQUEST_RANGE -> checkRangeRevision(view, op.getRequestRange().getRevision());
                case REQUEST_PUT -> {
                    PutRequest put = op.getRequestPut();
                    // Inside a txn etcd checks the key before the lease.
                    checkPrevious(view, put);
                    if ((put.getIgnoreValue() || put.getIgnoreLease()) && deletedEarlier(deletesSoFar, put)) {
                        throw EtcdError.KEY_NOT_FOUND.asException();
                    }
                    checkLease(put);
                }
                case REQUEST_DELETE_RANGE -> deletesSoFar.add(op.getRequestDeleteRange());
                case REQUEST_TXN -> checkPlan(view, plan.nested()[i], deletesSoFar);
                case REQUEST_NOT_SET -> {
                    // nothing to check
                }
            }
        }
    }

    /** Whether a delete earlier in the txn covers the put's key, with the store's range rules. */
    private static boolean deletedEarlier(List<DeleteRangeRequest> deletes, PutRequest put) {
        byte[] key = put.getKey().toByteArray();
        for (DeleteRangeRequest d : deletes) {
            byte[] begin = d.getKey().toByteArray();
            byte[] end = d.getRangeEnd().toByteArray();
            boolean covered;
            if (end.length == 0) {
                covered = Arrays.equals(key, begin);
            } else if (end.length == 1 && end[0] == 0) {
                covered = Arrays.compareUnsigned(key, begin) >= 0;
            } else {
                covered = Arrays.compareUnsigned(key, begin) >= 0 && Arrays.compareUnsigned(key, end) < 0;
            }
            if (covered) {
                return true;
            }
        }
        return false;
    }

    private void checkLease(PutRequest r) {
        if (r.getLease() != 0 && !leases.exists(r.getLease())) {
            throw EtcdError.LEASE_NOT_FOUND.asException();
        }
    }

    /** The key's current kv when the put needs it (prev_kv, ignore_*); key not found if ignore_* and absent. */
    private static KeyValue checkPrevious(TxnRead view, PutRequest r) {
        if (!r.getIgnoreValue() && !r.getIgnoreLease() && !r.getPrevKv()) {
            return null;
        }
        RangeResult rr = view.range(r.getKey().toByteArray(), null, RangeOptions.DEFAULT);
        KeyValue prev = rr.kvs().isEmpty() ? null : rr.kvs().get(0);
        if (prev == null && (r.getIgnoreValue() || r.getIgnoreLease())) {
            throw EtcdError.KEY_NOT_FOUND.asException();
        }
        return prev;
    }

    /**
     * etcd's checkRange for a range inside a txn: 0 is fine; above the pre-txn revision is a future
     * revision; below the compaction revision is compacted. Unlike a plain Range, a negative
     * revision is not "latest" here: it is compared with the compaction revision (-1 before any).
     */
    private void checkRangeRevision(TxnRead view, long revision) {
        if (revision == 0) {
            return;
        }
        if (revision > view.revision()) {
            throw EtcdError.FUTURE_REV.asException();
        }
        if (revision < compactRevision(view)) {
            throw EtcdError.COMPACTED.asException();
        }
    }

    private long compactRevision(TxnRead view) {
        if (compactRevision != null) {
            return compactRevision.getAsLong();
        }
        // The store answers "compacted" for a read below its compaction revision and says which.
        try {
            view.range(new byte[] {0}, null, RangeOptions.DEFAULT.withRevision(1).withCountOnly(true));
            return NEVER_COMPACTED;
        } catch (CompactedException e) {
            return e.compactRevision();
        }
    }
}
