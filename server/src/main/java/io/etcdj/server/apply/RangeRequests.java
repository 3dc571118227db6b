package io.etcdj.server.apply;

import io.etcdj.api.etcdserverpb.RangeRequest;
import io.etcdj.api.etcdserverpb.RangeResponse;
import io.etcdj.api.etcdserverpb.ResponseHeader;
import io.etcdj.api.rpctypes.EtcdError;
import io.etcdj.server.mvcc.CompactedException;
import io.etcdj.server.mvcc.FutureRevisionException;
import io.etcdj.server.mvcc.RangeOptions;
import io.etcdj.server.mvcc.RangeResult;
import io.etcdj.server.mvcc.TxnRead;
import io.grpc.StatusRuntimeException;

/**
 * RangeRequest onto the MVCC store's {@link RangeOptions} and back. The store already applies
 * etcd's rules (fetch all when sorting or filtering, one extra key for {@code more}, count before
 * limit and filters, NONE order with a non-KEY target sorts ASCEND); this class only maps fields.
 */
final class RangeRequests {
    private RangeRequests() {
    }

    /** Executes a range on {@code txn}; the MVCC revision errors become etcd's gRPC errors. */
    static RangeResponse execute(TxnRead txn, RangeRequest r) {
        RangeResult rr;
        try {
            rr = txn.range(r.getKey().toByteArray(), r.getRangeEnd().toByteArray(), options(r));
        } catch (CompactedException | FutureRevisionException e) {
            throw mvccError(e);
        }
        return RangeResponse.newBuilder()
                .setHeader(ResponseHeader.newBuilder().setRevision(rr.revision()))
                .addAllKvs(rr.kvs())
                .setMore(rr.more())
                .setCount(rr.count())
                .build();
    }

    static RangeOptions options(RangeRequest r) {
        // etcd treats a negative limit as no limit (the store's "limit <= 0" case).
        long limit = Math.max(0, r.getLimit());
        return new RangeOptions(limit, r.getRevision(), sortOrder(r.getSortOrderValue()),
                sortTarget(r.getSortTargetValue()), r.getKeysOnly(), r.getCountOnly(),
                r.getMinModRevision(), r.getMaxModRevision(),
                r.getMinCreateRevision(), r.getMaxCreateRevision());
    }

    /** etcd's togRPCError for the two MVCC revision errors. */
    static StatusRuntimeException mvccError(RuntimeException e) {
        if (e instanceof CompactedException) {
            return EtcdError.COMPACTED.asException();
        }
        if (e instanceof FutureRevisionException) {
            return EtcdError.FUTURE_REV.asException();
        }
        throw new IllegalArgumentException("not an mvcc revision error: " + e, e);
    }

    private static RangeOptions.SortOrder sortOrder(int value) {
        // v3rpc rejects unknown values with "invalid sort option" before a request gets here.
        return switch (value) {
            case 0 -> RangeOptions.SortOrder.NONE;
            case 1 -> RangeOptions.SortOrder.ASCEND;
            case 2 -> RangeOptions.SortOrder.DESCEND;
            default -> throw new IllegalArgumentException("sort order " + value + " reached the applier");
        };
    }

    private static RangeOptions.SortTarget sortTarget(int value) {
        return switch (value) {
            case 0 -> RangeOptions.SortTarget.KEY;
            case 1 -> RangeOptions.SortTarget.VERSION;
            case 2 -> RangeOptions.SortTarget.CREATE;
            case 3 -> RangeOptions.SortTarget.MOD;
            case 4 -> RangeOptions.SortTarget.VALUE;
            default -> throw new IllegalArgumentException("sort target " + value + " reached the applier");
        };
    }
}
