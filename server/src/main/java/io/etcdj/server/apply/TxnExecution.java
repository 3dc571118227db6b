package io.etcdj.server.apply;

import com.google.protobuf.ByteString;
import io.etcdj.api.etcdserverpb.DeleteRangeRequest;
import io.etcdj.api.etcdserverpb.DeleteRangeResponse;
import io.etcdj.api.etcdserverpb.PutRequest;
import io.etcdj.api.etcdserverpb.PutResponse;
import io.etcdj.api.etcdserverpb.RequestOp;
import io.etcdj.api.etcdserverpb.ResponseHeader;
import io.etcdj.api.etcdserverpb.ResponseOp;
import io.etcdj.api.etcdserverpb.TxnResponse;
import io.etcdj.api.mvccpb.KeyValue;
import io.etcdj.server.mvcc.RangeOptions;
import io.etcdj.server.mvcc.RangeResult;
import io.etcdj.server.mvcc.TxnRead;
import io.etcdj.server.mvcc.TxnWrite;

/**
 * The write half of the applier: runs ops whose preconditions were already checked. Nothing here
 * may fail for a validated request; a failure would leave a half-applied txn, so what cannot
 * happen is checked as an invariant instead of being answered.
 */
final class TxnExecution {
    private TxnExecution() {
    }

    /** Runs the plan's ops in order; the top-level header is the caller's. */
    static TxnResponse.Builder run(TxnRead txn, TxnPlan plan) {
        TxnResponse.Builder response = TxnResponse.newBuilder().setSucceeded(plan.succeeded());
        for (int i = 0; i < plan.ops().size(); i++) {
            RequestOp op = plan.ops().get(i);
            ResponseOp.Builder out = ResponseOp.newBuilder();
            switch (op.getRequestCase()) {
                case REQUEST_RANGE -> out.setResponseRange(RangeRequests.execute(txn, op.getRequestRange()));
                case REQUEST_PUT -> out.setResponsePut(putInTxn(writable(txn), op.getRequestPut()));
                case REQUEST_DELETE_RANGE -> out.setResponseDeleteRange(
                        deleteRange(writable(txn), op.getRequestDeleteRange()));
                // etcd answers a nested txn with an empty header (present, all zero).
                case REQUEST_TXN -> out.setResponseTxn(run(txn, plan.nested()[i])
                        .setHeader(ResponseHeader.getDefaultInstance()));
                case REQUEST_NOT_SET -> {
                    // validation rejects empty ops; etcd would answer an empty ResponseOp
                }
            }
            response.addResponses(out);
        }
        return response;
    }

    static PutResponse put(TxnWrite txn, PutRequest r, KeyValue prev) {
        ByteString newValue = r.getIgnoreValue() ? prev.getValue() : r.getValue();
        long lease = r.getIgnoreLease() ? prev.getLease() : r.getLease();
        long revision = txn.put(r.getKey().toByteArray(), newValue.toByteArray(), lease);
        PutResponse.Builder response = PutResponse.newBuilder()
                .setHeader(ResponseHeader.newBuilder().setRevision(revision));
        if (r.getPrevKv() && prev != null) {
            response.setPrevKv(prev);
        }
        return response.build();
    }

    /** A put inside a txn: its previous kv is read now, so it sees the txn's earlier writes. */
    private static PutResponse putInTxn(TxnWrite txn, PutRequest r) {
        KeyValue prev = null;
        if (r.getIgnoreValue() || r.getIgnoreLease() || r.getPrevKv()) {
            RangeResult rr = txn.range(r.getKey().toByteArray(), null, RangeOptions.DEFAULT);
            prev = rr.kvs().isEmpty() ? null : rr.kvs().get(0);
        }
        if (prev == null && (r.getIgnoreValue() || r.getIgnoreLease())) {
            // The pre-txn check found the key and the duplicate-key rule forbids deleting it earlier
            // in the same txn; reaching here means a request skipped validation.
            throw new IllegalStateException("ignore_value/ignore_lease put of a key deleted earlier in its txn");
        }
        return put(txn, r, prev);
    }

    static DeleteRangeResponse deleteRange(TxnWrite txn, DeleteRangeRequest r) {
        byte[] key = r.getKey().toByteArray();
        byte[] end = r.getRangeEnd().toByteArray();
        DeleteRangeResponse.Builder response = DeleteRangeResponse.newBuilder();
        if (r.getPrevKv()) {
            response.addAllPrevKvs(txn.range(key, end, RangeOptions.DEFAULT).kvs());
        }
        long deleted = txn.deleteRange(key, end);
        // etcd: the txn's new revision once anything in it changed, else the current revision.
        return response.setDeleted(deleted)
                .setHeader(ResponseHeader.newBuilder().setRevision(txn.revision()))
                .build();
    }

    private static TxnWrite writable(TxnRead txn) {
        if (txn instanceof TxnWrite write) {
            return write;
        }
        throw new IllegalStateException("a write op in a txn served as a read");
    }
}
