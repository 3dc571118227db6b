package io.etcdj.server.mvcc;

import com.google.protobuf.ByteString;
import io.etcdj.api.mvccpb.Event;
import io.etcdj.api.mvccpb.KeyValue;
import io.etcdj.server.storage.backend.WriteTxn;
import io.etcdj.server.storage.schema.Bucket;
import java.util.ArrayList;
import java.util.List;

/**
 * The apply thread's write txn (etcd's storeTxnWrite). Every change gets revision
 * {beginRev + 1, number of changes so far}; the index is updated as changes happen, so later
 * operations of the same txn see earlier ones, while readers (bounded by the published current
 * revision) do not until {@link #end()}.
 */
final class StoreTxnWrite extends StoreTxnRead implements TxnWrite {
    private final WriteTxn backendWrite;
    private final long beginRev;
    private final List<Event> changes = new ArrayList<>();
    private long consistentIndex = -1;
    private long term;
    private boolean ended;

    StoreTxnWrite(MvccStore store, WriteTxn backendWrite, long beginRev) {
        super(store, backendWrite, beginRev);
        this.backendWrite = backendWrite;
        this.beginRev = beginRev;
    }

    /** A txn that has written reads at its own revision, so it sees its changes. */
    @Override
    long readRevision() {
        return changes.isEmpty() ? beginRev : beginRev + 1;
    }

    @Override
    public long revision() {
        return readRevision();
    }

    @Override
    public long put(byte[] key, byte[] value, long lease) {
        checkOpen();
        Checks.check(key.length > 0, "put of an empty key");
        long main = beginRev + 1;
        Revision rev = new Revision(main, changes.size());
        long[] prev = new long[KeyIndex.OUT_SLOTS];
        boolean exists = store.index().get(key, main, prev);
        KeyValue prevKv = exists ? fetch(new Revision(prev[KeyIndex.OUT_MOD_MAIN], prev[KeyIndex.OUT_MOD_SUB]), main)
                : null;
        KeyValue kv = KeyValue.newBuilder()
                .setKey(ByteString.copyFrom(key))
                .setValue(ByteString.copyFrom(value))
                .setCreateRevision(exists ? prev[KeyIndex.OUT_CREATED_MAIN] : main)
                .setModRevision(main)
                .setVersion(exists ? prev[KeyIndex.OUT_VERSION] + 1 : 1)
                .setLease(lease)
                .build();
        backendWrite.put(Bucket.KEY, rev.toBytes(), kv.toByteArray());
        store.index().put(key, rev);
        Event.Builder event = Event.newBuilder().setType(Event.EventType.PUT).setKv(kv);
        if (prevKv != null) {
            event.setPrevKv(prevKv);
        }
        changes.add(event.build());
        return main;
    }

    @Override
    public long deleteRange(byte[] key, byte[] end) {
        checkOpen();
        long rrev = readRevision();
        TreeIndex.Revisions live = store.index().revisions(key, indexEnd(end), rrev, 0);
        for (TreeIndex.KeyAt at : live.keys()) {
            delete(at, fetch(new Revision(at.modMain(), at.modSub()), rrev));
        }
        return live.keys().size();
    }

    private void delete(TreeIndex.KeyAt at, KeyValue prevKv) {
        long main = beginRev + 1;
        Revision rev = new Revision(main, changes.size());
        // etcd stores a tombstone as a KeyValue holding only the key.
        KeyValue stored = KeyValue.newBuilder().setKey(ByteString.copyFrom(at.key())).build();
        backendWrite.put(Bucket.KEY, rev.toTombstoneBytes(), stored.toByteArray());
        store.index().tombstone(at.key(), rev);
        changes.add(Event.newBuilder()
                .setType(Event.EventType.DELETE)
                .setKv(stored.toBuilder().setModRevision(main))
                .setPrevKv(prevKv)
                .build());
    }

    @Override
    public void setConsistentIndex(long index, long term) {
        checkOpen();
        this.consistentIndex = index;
        this.term = term;
    }

    @Override
    public long end() {
        if (ended) {
            return store.currentRevision();
        }
        ended = true;
        try {
            if (consistentIndex >= 0) {
                backendWrite.setConsistentIndex(consistentIndex, term);
            }
            if (!changes.isEmpty()) {
                store.publishRevision(beginRev + 1);
            }
        } finally {
            backendWrite.close();
            store.writeEnded();
        }
        if (!changes.isEmpty()) {
            store.notifyListeners(beginRev + 1, List.copyOf(changes));
        }
        return store.currentRevision();
    }

    /** Closing a write txn ends it (a class's close would otherwise shadow TxnWrite's default). */
    @Override
    public void close() {
        end();
    }

    private void checkOpen() {
        Checks.check(!ended, "use of an ended write txn");
    }
}
