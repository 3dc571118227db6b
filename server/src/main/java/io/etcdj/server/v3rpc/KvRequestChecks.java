package io.etcdj.server.v3rpc;

import com.google.protobuf.ByteString;
import io.etcdj.api.etcdserverpb.Compare;
import io.etcdj.api.etcdserverpb.DeleteRangeRequest;
import io.etcdj.api.etcdserverpb.PutRequest;
import io.etcdj.api.etcdserverpb.RangeRequest;
import io.etcdj.api.etcdserverpb.RequestOp;
import io.etcdj.api.etcdserverpb.TxnRequest;
import io.etcdj.api.rpctypes.EtcdError;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * etcd's v3rpc request checks (key.go), in etcd's order, each failing with etcd's exact error.
 * They look only at the request; the checks that need the store (lease exists, key exists for
 * ignore_*, revisions) belong to the applier.
 */
final class KvRequestChecks {
    private KvRequestChecks() {
    }

    static void checkRange(RangeRequest r) {
        if (r.getKey().isEmpty()) {
            throw EtcdError.EMPTY_KEY.asException();
        }
        // Unknown enum numbers survive proto3 decoding; etcd looks them up in the enum's names.
        if (r.getSortOrderValue() < 0 || r.getSortOrderValue() > 2
                || r.getSortTargetValue() < 0 || r.getSortTargetValue() > 4) {
            throw EtcdError.INVALID_SORT_OPTION.asException();
        }
    }

    static void checkPut(PutRequest r) {
        if (r.getKey().isEmpty()) {
            throw EtcdError.EMPTY_KEY.asException();
        }
        if (r.getIgnoreValue() && !r.getValue().isEmpty()) {
            throw EtcdError.VALUE_PROVIDED.asException();
        }
        if (r.getIgnoreLease() && r.getLease() != 0) {
            throw EtcdError.LEASE_PROVIDED.asException();
        }
    }

    static void checkDelete(DeleteRangeRequest r) {
        if (r.getKey().isEmpty()) {
            throw EtcdError.EMPTY_KEY.asException();
        }
    }

    /**
     * etcd's Txn checks: the shape (checkTxnRequest, recursively) first, then the duplicate-key
     * rule on each branch (done last because it is the expensive one).
     */
    static void checkTxn(TxnRequest r, int maxTxnOps) {
        checkTxnShape(r, maxTxnOps);
        branchKeys(r.getSuccessList());
        branchKeys(r.getFailureList());
    }

    /**
     * Op count = the longest of the three lists, not their sum; a nested txn gets what the
     * enclosing one left of the budget. Then compare keys, then every op of success, then failure.
     */
    private static void checkTxnShape(TxnRequest r, int maxTxnOps) {
        int ops = Math.max(r.getCompareCount(), Math.max(r.getSuccessCount(), r.getFailureCount()));
        if (ops > maxTxnOps) {
            throw EtcdError.TOO_MANY_OPS.asException();
        }
        for (Compare c : r.getCompareList()) {
            if (c.getKey().isEmpty()) {
                throw EtcdError.EMPTY_KEY.asException();
            }
        }
        for (RequestOp op : r.getSuccessList()) {
            checkOp(op, maxTxnOps - ops);
        }
        for (RequestOp op : r.getFailureList()) {
            checkOp(op, maxTxnOps - ops);
        }
    }

    private static void checkOp(RequestOp op, int budget) {
        switch (op.getRequestCase()) {
            case REQUEST_RANGE -> checkRange(op.getRequestRange());
            case REQUEST_PUT -> checkPut(op.getRequestPut());
            case REQUEST_DELETE_RANGE -> checkDelete(op.getRequestDeleteRange());
            case REQUEST_TXN -> checkTxnShape(op.getRequestTxn(), budget);
            // etcd answers an op with nothing set with "key not found".
            case REQUEST_NOT_SET -> throw EtcdError.KEY_NOT_FOUND.asException();
        }
    }

    /** The keys a branch puts and the ranges it deletes, for the enclosing level's checks. */
    private record BranchKeys(Set<ByteString> puts, DeleteIntervals deletes) {
    }

    /**
     * etcd's checkIntervals: within one branch no key may be put twice or put and deleted. This
     * level's deletes are collected first; nested txns' puts are checked against this level's
     * puts so far (except a key put by both branches of the same nested txn, which cannot both
     * run) and against deletes collected so far; then the nested txn's deletes join; finally this
     * level's own puts are checked against everything. As in etcd, an earlier nested txn's put is
     * not checked against a later nested txn's delete.
     */
    private static BranchKeys branchKeys(List<RequestOp> ops) {
        DeleteIntervals deletes = new DeleteIntervals();
        for (RequestOp op : ops) {
            if (op.getRequestCase() == RequestOp.RequestCase.REQUEST_DELETE_RANGE) {
                DeleteRangeRequest d = op.getRequestDeleteRange();
                if (d.getRangeEnd().isEmpty()) {
                    deletes.addKey(d.getKey().toByteArray());
                } else {
                    deletes.add(d.getKey().toByteArray(), d.getRangeEnd().toByteArray());
                }
            }
        }
        Set<ByteString> puts = new HashSet<>();
        for (RequestOp op : ops) {
            if (op.getRequestCase() != RequestOp.RequestCase.REQUEST_TXN) {
                continue;
            }
            BranchKeys then = branchKeys(op.getRequestTxn().getSuccessList());
            BranchKeys otherwise = branchKeys(op.getRequestTxn().getFailureList());
            for (ByteString key : then.puts()) {
                requireFresh(puts.contains(key) || deletes.covers(key.toByteArray()));
                puts.add(key);
            }
            for (ByteString key : otherwise.puts()) {
                requireFresh((puts.contains(key) && !then.puts().contains(key)) || deletes.covers(key.toByteArray()));
                puts.add(key);
            }
            deletes.addAll(then.deletes());
            deletes.addAll(otherwise.deletes());
        }
        for (RequestOp op : ops) {
            if (op.getRequestCase() == RequestOp.RequestCase.REQUEST_PUT) {
                ByteString key = op.getRequestPut().getKey();
                requireFresh(puts.contains(key) || deletes.covers(key.toByteArray()));
                puts.add(key);
            }
        }
        return new BranchKeys(puts, deletes);
    }

    private static void requireFresh(boolean duplicate) {
        if (duplicate) {
            throw EtcdError.DUPLICATE_KEY.asException();
        }
    }
}
