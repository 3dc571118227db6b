package io.etcdj.server.mvcc;

import com.google.protobuf.InvalidProtocolBufferException;
import io.etcdj.api.mvccpb.KeyValue;
import io.etcdj.server.storage.backend.ReadTxn;
import io.etcdj.server.storage.schema.Bucket;
import java.util.ArrayList;
import java.util.List;

/** A read txn over the index and a backend read view, at the revision current when it began. */
class StoreTxnRead implements TxnRead {
    /** Bytes meaning "every key ≥ key" as a range end, in the RPC's encoding. */
    private static final byte[] RANGE_END_ALL = {0};

    final MvccStore store;
    final ReadTxn backendTxn;
    private final long revision;

    StoreTxnRead(MvccStore store, ReadTxn backendTxn, long revision) {
        this.store = store;
        this.backendTxn = backendTxn;
        this.revision = revision;
    }

    @Override
    public long revision() {
        return revision;
    }

    /** The revision ranges of this txn read at; a write txn reads its own changes. */
    long readRevision() {
        return revision;
    }

    @Override
    public RangeResult range(byte[] key, byte[] end, RangeOptions options) {
        return RangeQuery.execute(this, key, end, options);
    }

    /**
     * etcd's rangeKeys: the mvcc-level range with a plain limit and count flag. {@code end} is in
     * the RPC encoding (null/empty: one key; {0}: to the end).
     */
    RangeResult rangeKeys(byte[] key, byte[] end, long limit, long requestedRev, boolean countOnly) {
        long curRev = readRevision();
        if (requestedRev > curRev) {
            throw new FutureRevisionException(requestedRev, curRev);
        }
        long rev = requestedRev <= 0 ? curRev : requestedRev;
        checkNotCompacted(rev);
        byte[] indexEnd = indexEnd(end);
        if (countOnly) {
            long total = store.index().count(key, indexEnd, rev);
            checkNotCompacted(rev); // optimistic: the index was read before any newer compaction
            return new RangeResult(List.of(), false, total, curRev);
        }
        TreeIndex.Revisions revs = store.index().revisions(key, indexEnd, rev, limit);
        List<KeyValue> kvs = new ArrayList<>(revs.keys().size());
        for (TreeIndex.KeyAt at : revs.keys()) {
            kvs.add(fetch(new Revision(at.modMain(), at.modSub()), rev));
        }
        checkNotCompacted(rev);
        return new RangeResult(kvs, false, revs.total(), curRev);
    }

    /** The stored KeyValue at a revision the index named. */
    KeyValue fetch(Revision at, long readRev) {
        byte[] bytes = backendTxn.get(Bucket.KEY, at.toBytes());
        if (bytes == null) {
            checkNotCompacted(readRev); // compacted while we read: report it as such
            Checks.check(false, "revision %d.%d in the index is missing from the key bucket", at.main(), at.sub());
        }
        try {
            return KeyValue.parseFrom(bytes);
        } catch (InvalidProtocolBufferException e) {
            throw new IllegalStateException("mvcc: undecodable KeyValue at revision " + at, e);
        }
    }

    private void checkNotCompacted(long rev) {
        long compacted = store.compactRevision();
        if (rev < compacted) {
            throw new CompactedException(rev, compacted);
        }
    }

    static byte[] indexEnd(byte[] end) {
        if (end == null || end.length == 0) {
            return null;
        }
        if (java.util.Arrays.equals(end, RANGE_END_ALL)) {
            return new byte[0];
        }
        return end;
    }

    @Override
    public void close() {
        backendTxn.close();
    }
}
