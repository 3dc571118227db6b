package io.etcdj.server.apply;

import com.google.protobuf.ByteString;
import io.etcdj.api.etcdserverpb.Compare;
import io.etcdj.api.mvccpb.KeyValue;
import io.etcdj.server.mvcc.CompactedException;
import io.etcdj.server.mvcc.FutureRevisionException;
import io.etcdj.server.mvcc.RangeOptions;
import io.etcdj.server.mvcc.RangeResult;
import io.etcdj.server.mvcc.TxnRead;
import java.util.List;

/**
 * etcd's Txn compare semantics (applyCompare / compareKV), rule by rule:
 * <ul>
 *   <li>the compare reads {@code [key, range_end)} at the txn's read revision, before any write of
 *       the txn; every key found must satisfy it;
 *   <li>no key found: VALUE fails whatever the result (gRPC cannot tell a missing value from an
 *       empty one), every other target compares a zero KeyValue (version, create, mod, lease 0);
 *   <li>a target_union that does not match the target compares against 0 (or the empty value);
 *   <li>an unknown target compares equal; an unknown result holds;
 *   <li>a read error makes the compare fail.
 * </ul>
 */
final class Compares {
    private Compares() {
    }

    static boolean all(TxnRead view, List<Compare> compares) {
        for (Compare c : compares) {
            if (!holds(view, c)) {
                return false;
            }
        }
        return true;
    }

    static boolean holds(TxnRead view, Compare c) {
        RangeResult rr;
        try {
            rr = view.range(c.getKey().toByteArray(), c.getRangeEnd().toByteArray(), RangeOptions.DEFAULT);
        } catch (CompactedException | FutureRevisionException e) {
            return false; // etcd: a compare whose read fails is false
        }
        if (rr.kvs().isEmpty()) {
            if (c.getTargetValue() == Compare.CompareTarget.VALUE_VALUE) {
                return false;
            }
            return matches(c, KeyValue.getDefaultInstance());
        }
        for (KeyValue kv : rr.kvs()) {
            if (!matches(c, kv)) {
                return false;
            }
        }
        return true;
    }

    /** compareKV: the ordering of the key's field against the compare's operand, then the result. */
    static boolean matches(Compare c, KeyValue kv) {
        int order = switch (c.getTargetValue()) {
            case Compare.CompareTarget.VALUE_VALUE -> ByteString.unsignedLexicographicalComparator()
                    .compare(kv.getValue(), c.getTargetUnionCase() == Compare.TargetUnionCase.VALUE
                            ? c.getValue() : ByteString.EMPTY);
            case Compare.CompareTarget.CREATE_VALUE -> Long.compare(kv.getCreateRevision(),
                    c.getTargetUnionCase() == Compare.TargetUnionCase.CREATE_REVISION ? c.getCreateRevision() : 0);
            case Compare.CompareTarget.MOD_VALUE -> Long.compare(kv.getModRevision(),
                    c.getTargetUnionCase() == Compare.TargetUnionCase.MOD_REVISION ? c.getModRevision() : 0);
            case Compare.CompareTarget.VERSION_VALUE -> Long.compare(kv.getVersion(),
                    c.getTargetUnionCase() == Compare.TargetUnionCase.VERSION ? c.getVersion() : 0);
            case Compare.CompareTarget.LEASE_VALUE -> Long.compare(kv.getLease(),
                    c.getTargetUnionCase() == Compare.TargetUnionCase.LEASE ? c.getLease() : 0);
            default -> 0;
        };
        return switch (c.getResultValue()) {
            case Compare.CompareResult.EQUAL_VALUE -> order == 0;
            case Compare.CompareResult.NOT_EQUAL_VALUE -> order != 0;
            case Compare.CompareResult.GREATER_VALUE -> order > 0;
            case Compare.CompareResult.LESS_VALUE -> order < 0;
            default -> true;
        };
    }
}
