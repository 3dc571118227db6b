package io.etcdj.server.mvcc;

import com.google.protobuf.InvalidProtocolBufferException;
import io.etcdj.api.mvccpb.Event;
import io.etcdj.api.mvccpb.KeyValue;
import io.etcdj.server.storage.backend.Backend;
import io.etcdj.server.storage.backend.ReadTxn;
import io.etcdj.server.storage.backend.WriteTxn;
import io.etcdj.server.storage.schema.Bucket;
import io.etcdj.server.storage.schema.MetaKeys;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * etcd's MVCC key-value store (server/storage/mvcc kvstore) on the LMDB backend.
 *
 * <p>Threads: one apply thread calls {@link #write()}, {@link #compact} and nothing else writes;
 * any thread may call {@link #read()} and {@link #hashByRevision}. Readers take no lock: they read
 * the published current revision, then the index and the backend; a compaction publishes its
 * revision before touching the index or the key bucket, and readers re-check it after reading, so a
 * read overtaken by a compaction fails with {@link CompactedException} instead of returning a torn
 * answer.
 */
public final class MvccStore implements AutoCloseable {
    /** etcd's store starts at revision 1, so the first write is revision 2. */
    static final long INITIAL_REVISION = 1;
    /** etcd's compactMainRev before any compaction. */
    static final long NO_COMPACTION = -1;
    /** Attempts of a HashKV racing with new compactions before giving up. */
    private static final int HASH_ATTEMPTS = 3;

    private final Backend backend;
    private final TreeIndex index = new TreeIndex();
    private final Compactor compactor;
    private final ExecutorService ownExecutor;
    private final List<ChangeListener> listeners = new CopyOnWriteArrayList<>();
    /** Highest revision visible to readers; written only by the apply thread. */
    private volatile long currentRev = INITIAL_REVISION;
    /** Revisions below this are gone; written only by the apply thread (and restore). */
    private volatile long compactMainRev = NO_COMPACTION;
    /** Whether a write txn is open; the apply thread's own bookkeeping. */
    private volatile boolean writeOpen;

    private MvccStore(Backend backend, MvccConfig config) {
        this.backend = backend;
        if (config.compactionExecutor() == null) {
            ownExecutor = Executors.newSingleThreadExecutor(r -> {
                Thread t = new Thread(r, "mvcc-compactor");
                t.setDaemon(true);
                return t;
            });
        } else {
            ownExecutor = null;
        }
        this.compactor = new Compactor(backend, index,
                ownExecutor != null ? ownExecutor : config.compactionExecutor(), config.compactionBatchLimit());
    }

    /** Opens the store on a backend: rebuilds the index from the key bucket and resumes compaction. */
    public static MvccStore open(Backend backend, MvccConfig config) {
        MvccStore store = new MvccStore(backend, config);
        store.restore();
        return store;
    }

    public static MvccStore open(Backend backend) {
        return open(backend, MvccConfig.defaults());
    }

    /** A read txn at the current revision. */
    public TxnRead read() {
        long rev = currentRev; // before the backend view: see View's ordering argument
        return new StoreTxnRead(this, backend.beginRead(), rev);
    }

    /** The write txn; apply thread only, one at a time. */
    public TxnWrite write() {
        Checks.check(!writeOpen, "a write txn is already open");
        writeOpen = true;
        WriteTxn tx;
        try {
            tx = backend.beginWrite();
        } catch (RuntimeException e) {
            writeOpen = false;
            throw e;
        }
        return new StoreTxnWrite(this, tx, currentRev);
    }

    /**
     * Compacts history below {@code rev}: reads at revisions &lt; rev fail from now on. The returned
     * future completes when the key bucket no longer holds the removed revisions (Compact's
     * {@code physical} option waits on it). Apply thread only.
     */
    public CompletableFuture<Void> compact(long rev) {
        Checks.check(!writeOpen, "compact inside a write txn");
        if (rev <= compactMainRev) {
            throw new CompactedException(rev, compactMainRev);
        }
        if (rev > currentRev) {
            throw new FutureRevisionException(rev, currentRev);
        }
        compactMainRev = rev;
        try (WriteTxn tx = backend.beginWrite()) {
            tx.put(Bucket.META, MetaKeys.SCHEDULED_COMPACT_REV, MetaKeys.encodeLong(rev));
        }
        backend.forceCommit(); // the schedule must survive a crash so the compaction resumes
        return compactor.schedule(rev);
    }

    /** HashKV at {@code rev} (≤ 0: current revision). */
    public KeyValueHash hashByRevision(long rev) {
        for (int attempt = 1; ; attempt++) {
            long compactRev = compactMainRev;
            long cur = currentRev;
            if (rev > 0 && rev < compactRev) {
                throw new CompactedException(rev, compactRev);
            }
            if (rev > cur) {
                throw new FutureRevisionException(rev, cur);
            }
            long hashRev = rev <= 0 ? cur : rev;
            RevisionSet keep = index.keep(compactRev);
            int hash;
            try (ReadTxn txn = backend.beginRead()) {
                hash = Hasher.hash(txn, hashRev, compactRev, keep);
            }
            if (compactMainRev == compactRev || attempt == HASH_ATTEMPTS) {
                Checks.check(compactMainRev == compactRev, "compactions kept racing HashKV");
                return new KeyValueHash(hash, compactRev, hashRev);
            }
        }
    }

    /**
     * History for catching up watchers (etcd's kvsToEvents over the key bucket): the events with
     * main revision in {@code [fromRev, toRev]}, in revision order, at most {@code limit}. Events
     * carry no prev_kv (read it at revision − 1 when a watcher asks). Throws
     * {@link CompactedException} when fromRev is below the compact revision.
     */
    public List<Event> events(long fromRev, long toRev, int limit) {
        long compacted = compactMainRev;
        if (fromRev < compacted) {
            throw new CompactedException(fromRev, compacted);
        }
        List<Event> out = new java.util.ArrayList<>();
        try (ReadTxn txn = backend.beginRead()) {
            txn.forEach(Bucket.KEY, Revision.mainBound(Math.max(fromRev, 0)), Revision.mainBound(toRev + 1), (k, v) -> {
                out.add(HistoryEvents.toEvent(k, v));
                return out.size() < limit;
            });
        }
        if (fromRev < compactMainRev) {
            throw new CompactedException(fromRev, compactMainRev); // compacted while we read
        }
        return out;
    }

    public long currentRevision() {
        return currentRev;
    }

    /** The compaction revision (-1 before the first compaction, like etcd). */
    public long compactRevision() {
        return compactMainRev;
    }

    public long consistentIndex() {
        return backend.consistentIndex();
    }

    public void addChangeListener(ChangeListener listener) {
        listeners.add(listener);
    }

    /** Number of keys in the index (live or with history), for metrics and heap measurements. */
    public int indexedKeys() {
        return index.size();
    }

    /** Stops compaction; does not close the backend, which the server owns. */
    @Override
    public void close() {
        compactor.stop();
        if (ownExecutor != null) {
            ownExecutor.shutdownNow();
        }
    }

    TreeIndex index() {
        return index;
    }

    void publishRevision(long rev) {
        Checks.check(rev == currentRev + 1, "revision %d published after %d", rev, currentRev);
        currentRev = rev;
    }

    void writeEnded() {
        writeOpen = false;
    }

    void notifyListeners(long rev, List<Event> events) {
        for (ChangeListener listener : listeners) {
            listener.onRevision(rev, events);
        }
    }

    /** etcd's restore: index from the key bucket in revision order, then resume any compaction. */
    private void restore() {
        // Absent means "never"; 0 is a real (if useless) compaction revision, as in etcd.
        long finished = metaLong(MetaKeys.FINISHED_COMPACT_REV, NO_COMPACTION);
        long scheduled = metaLong(MetaKeys.SCHEDULED_COMPACT_REV, NO_COMPACTION);
        compactMainRev = finished;
        long[] maxMain = {INITIAL_REVISION};
        try (ReadTxn txn = backend.beginRead()) {
            txn.forEach(Bucket.KEY, new byte[0], null, (k, v) -> {
                Revision rev = Revision.fromBytes(k);
                maxMain[0] = Math.max(maxMain[0], rev.main());
                restoreOne(k, rev, v);
                return true;
            });
        }
        currentRev = Math.max(maxMain[0], Math.max(finished, scheduled));
        if (scheduled > compactMainRev) {
            compactMainRev = scheduled;
            compactor.schedule(scheduled);
        }
    }

    private void restoreOne(byte[] revKey, Revision rev, byte[] value) {
        KeyValue kv;
        try {
            kv = KeyValue.parseFrom(value);
        } catch (InvalidProtocolBufferException e) {
            throw new IllegalStateException("mvcc: undecodable KeyValue at revision " + rev, e);
        }
        byte[] key = kv.getKey().toByteArray();
        if (Revision.isTombstone(revKey)) {
            index.restoreTombstone(key, rev);
        } else {
            index.restorePut(key, kv.getCreateRevision(), rev, kv.getVersion());
        }
    }

    private long metaLong(byte[] key, long absent) {
        try (ReadTxn txn = backend.beginRead()) {
            byte[] v = txn.get(Bucket.META, key);
            return v == null ? absent : MetaKeys.decodeLong(v);
        }
    }
}
