package io.etcdj.server.mvcc;

import com.google.protobuf.ByteString;
import io.etcdj.api.mvccpb.KeyValue;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * etcd's Range request rules on top of rangeKeys: the limit is dropped when sorting or filtering
 * (fetch all, filter, sort, then cut), otherwise one extra key is fetched to answer {@code more};
 * the count is the number of keys in range before limit and filters; NONE order with a non-KEY
 * target sorts ASCEND, and ASCEND by KEY is already the index order. Sorting is stable, so ties
 * keep key order (etcd leaves tie order unspecified).
 */
final class RangeQuery {
    private RangeQuery() {
    }

    static RangeResult execute(StoreTxnRead txn, byte[] key, byte[] end, RangeOptions o) {
        long limit = o.fetchesAll() ? 0 : o.limit();
        if (limit > 0) {
            limit++; // one extra to know whether there is more
        }
        RangeResult rr = txn.rangeKeys(key, end, limit, o.revision(), o.countOnly());
        List<KeyValue> kvs = new ArrayList<>(rr.kvs().size());
        for (KeyValue kv : rr.kvs()) {
            if (passes(kv, o)) {
                kvs.add(kv);
            }
        }
        sort(kvs, o);
        boolean more = false;
        if (o.limit() > 0 && kvs.size() > o.limit()) {
            kvs = new ArrayList<>(kvs.subList(0, (int) o.limit()));
            more = true;
        }
        if (o.keysOnly()) {
            kvs.replaceAll(kv -> kv.toBuilder().clearValue().build());
        }
        return new RangeResult(List.copyOf(kvs), more, rr.count(), rr.revision());
    }

    private static boolean passes(KeyValue kv, RangeOptions o) {
        return (o.maxModRevision() == 0 || kv.getModRevision() <= o.maxModRevision())
                && (o.minModRevision() == 0 || kv.getModRevision() >= o.minModRevision())
                && (o.maxCreateRevision() == 0 || kv.getCreateRevision() <= o.maxCreateRevision())
                && (o.minCreateRevision() == 0 || kv.getCreateRevision() >= o.minCreateRevision());
    }

    private static void sort(List<KeyValue> kvs, RangeOptions o) {
        RangeOptions.SortOrder order = o.sortOrder();
        if (o.sortTarget() != RangeOptions.SortTarget.KEY && order == RangeOptions.SortOrder.NONE) {
            order = RangeOptions.SortOrder.ASCEND;
        } else if (o.sortTarget() == RangeOptions.SortTarget.KEY && order == RangeOptions.SortOrder.ASCEND) {
            order = RangeOptions.SortOrder.NONE;
        }
        if (order == RangeOptions.SortOrder.NONE) {
            return;
        }
        Comparator<KeyValue> by = comparator(o.sortTarget());
        kvs.sort(order == RangeOptions.SortOrder.DESCEND ? by.reversed() : by);
    }

    static Comparator<KeyValue> comparator(RangeOptions.SortTarget target) {
        return switch (target) {
            case KEY -> (a, b) -> ByteString.unsignedLexicographicalComparator().compare(a.getKey(), b.getKey());
            case VERSION -> Comparator.comparingLong(KeyValue::getVersion);
            case CREATE -> Comparator.comparingLong(KeyValue::getCreateRevision);
            case MOD -> Comparator.comparingLong(KeyValue::getModRevision);
            case VALUE -> (a, b) -> ByteString.unsignedLexicographicalComparator().compare(a.getValue(), b.getValue());
        };
    }
}
