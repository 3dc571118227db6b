package io.etcdj.server.mvcc;

import io.etcdj.api.mvccpb.KeyValue;
import java.util.List;

/**
 * A Range answer: the kvs, whether more matched than the limit allowed, the count of keys in range
 * at the read revision (before limit and filters), and the store revision of the header.
 */
public record RangeResult(List<KeyValue> kvs, boolean more, long count, long revision) {
}
