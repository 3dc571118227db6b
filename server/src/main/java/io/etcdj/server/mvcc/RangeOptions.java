package io.etcdj.server.mvcc;

/**
 * Every option of etcd's RangeRequest that shapes the answer (etcd-api.md §1.2, §0 item 4).
 *
 * @param limit     at most this many kvs (0: no limit); {@code more} tells whether there were more
 * @param revision  read at this revision (≤ 0: the txn's revision)
 * @param sortOrder NONE, ASCEND or DESCEND
 * @param sortTarget KEY, VERSION, CREATE, MOD or VALUE
 * @param keysOnly  drop values
 * @param countOnly return only the count
 * @param minModRevision etc.: filters (0: off); they and the count are independent: count ignores them
 */
public record RangeOptions(
        long limit,
        long revision,
        SortOrder sortOrder,
        SortTarget sortTarget,
        boolean keysOnly,
        boolean countOnly,
        long minModRevision,
        long maxModRevision,
        long minCreateRevision,
        long maxCreateRevision) {

    public enum SortOrder { NONE, ASCEND, DESCEND }

    public enum SortTarget { KEY, VERSION, CREATE, MOD, VALUE }

    /** No limit, latest revision, key order, values included. */
    public static final RangeOptions DEFAULT =
            new RangeOptions(0, 0, SortOrder.NONE, SortTarget.KEY, false, false, 0, 0, 0, 0);

    public RangeOptions withLimit(long l) {
        return new RangeOptions(l, revision, sortOrder, sortTarget, keysOnly, countOnly,
                minModRevision, maxModRevision, minCreateRevision, maxCreateRevision);
    }

    public RangeOptions withRevision(long r) {
        return new RangeOptions(limit, r, sortOrder, sortTarget, keysOnly, countOnly,
                minModRevision, maxModRevision, minCreateRevision, maxCreateRevision);
    }

    public RangeOptions withSort(SortOrder order, SortTarget target) {
        return new RangeOptions(limit, revision, order, target, keysOnly, countOnly,
                minModRevision, maxModRevision, minCreateRevision, maxCreateRevision);
    }

    public RangeOptions withKeysOnly(boolean k) {
        return new RangeOptions(limit, revision, sortOrder, sortTarget, k, countOnly,
                minModRevision, maxModRevision, minCreateRevision, maxCreateRevision);
    }

    public RangeOptions withCountOnly(boolean c) {
        return new RangeOptions(limit, revision, sortOrder, sortTarget, keysOnly, c,
                minModRevision, maxModRevision, minCreateRevision, maxCreateRevision);
    }

    public RangeOptions withModRange(long min, long max) {
        return new RangeOptions(limit, revision, sortOrder, sortTarget, keysOnly, countOnly,
                min, max, minCreateRevision, maxCreateRevision);
    }

    public RangeOptions withCreateRange(long min, long max) {
        return new RangeOptions(limit, revision, sortOrder, sortTarget, keysOnly, countOnly,
                minModRevision, maxModRevision, min, max);
    }

    /** etcd fetches everything (then filters, sorts, cuts) when sorting or filtering. */
    boolean fetchesAll() {
        return sortOrder != SortOrder.NONE || minModRevision != 0 || maxModRevision != 0
                || minCreateRevision != 0 || maxCreateRevision != 0;
    }
}
