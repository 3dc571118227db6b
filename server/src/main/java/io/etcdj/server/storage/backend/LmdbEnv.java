package io.etcdj.server.storage.backend;

import io.etcdj.server.storage.schema.Bucket;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedDeque;
import org.lmdbjava.ByteArrayProxy;
import org.lmdbjava.CopyFlags;
import org.lmdbjava.Cursor;
import org.lmdbjava.Dbi;
import org.lmdbjava.DbiFlags;
import org.lmdbjava.Env;
import org.lmdbjava.EnvFlags;
import org.lmdbjava.EnvInfo;
import org.lmdbjava.GetOp;
import org.lmdbjava.Stat;
import org.lmdbjava.Txn;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One open LMDB environment: the named databases (buckets), a pool of reset read transactions, and
 * the primitive operations the backend composes. Callers hold the backend's env lock (read side for
 * reads and commits, write side for open/close/copy-swap), which is what makes closing safe.
 */
final class LmdbEnv {
    /** LMDB's reader-table size; readers beyond it get MDB_READERS_FULL. Bounded by design. */
    static final int MAX_READERS = 1024;
    /** Two LMDB meta pages are always in use besides the databases' own pages. */
    private static final int META_PAGES = 2;

    private static final Logger LOG = LoggerFactory.getLogger(LmdbEnv.class);

    private final Env<byte[]> env;
    private final Dbi<byte[]>[] dbis;
    private final boolean verifyChecksums;
    /** Reset read txns ready for renew(); MDB_NOTLS lets any thread renew any of them. */
    private final ConcurrentLinkedDeque<Txn<byte[]>> readPool = new ConcurrentLinkedDeque<>();

    @SuppressWarnings("unchecked")
    LmdbEnv(Path dbFile, long mapSizeBytes, boolean syncCommits, boolean verifyChecksums) {
        EnvFlags[] flags = syncCommits
                ? new EnvFlags[] {EnvFlags.MDB_NOSUBDIR, EnvFlags.MDB_NOTLS, EnvFlags.MDB_NORDAHEAD}
                : new EnvFlags[] {EnvFlags.MDB_NOSUBDIR, EnvFlags.MDB_NOTLS, EnvFlags.MDB_NORDAHEAD,
                    EnvFlags.MDB_NOSYNC, EnvFlags.MDB_NOMETASYNC};
        this.env = Env.create(ByteArrayProxy.PROXY_BA)
                .setMapSize(mapSizeBytes)
                .setMaxDbs(Bucket.values().length)
                .setMaxReaders(MAX_READERS)
                .open(dbFile.toFile(), flags);
        this.verifyChecksums = verifyChecksums;
        Bucket[] all = Bucket.values();
        this.dbis = new Dbi[all.length];
        for (Bucket bucket : all) {
            dbis[bucket.ordinal()] = env.openDbi(bucket.bucketName(), DbiFlags.MDB_CREATE);
        }
    }

    byte[] get(Txn<byte[]> txn, Bucket bucket, byte[] key) {
        byte[] framed = dbis[bucket.ordinal()].get(txn, key);
        return framed == null ? null : ValueFrame.unframe(bucket, key, framed, verifyChecksums);
    }

    /** Visits committed entries in {@code [from, to)} of the txn's snapshot; values unframed and verified. */
    void scan(Txn<byte[]> txn, Bucket bucket, byte[] from, byte[] to, ReadTxn.Visitor visitor) {
        try (Cursor<byte[]> cursor = dbis[bucket.ordinal()].openCursor(txn)) {
            boolean found = from.length == 0 ? cursor.first() : cursor.get(from, GetOp.MDB_SET_RANGE);
            while (found) {
                byte[] key = cursor.key();
                if (to != null && Arrays.compareUnsigned(key, to) >= 0) {
                    return;
                }
                byte[] value = ValueFrame.unframe(bucket, key, cursor.val(), verifyChecksums);
                if (!visitor.visit(key, value)) {
                    return;
                }
                found = cursor.next();
            }
        }
    }

    /** Writes one frozen batch in one LMDB write txn; the commit is atomic (and synced if configured). */
    void commit(Overlay batch) {
        try (Txn<byte[]> txn = env.txnWrite()) {
            for (Bucket bucket : Bucket.values()) {
                Dbi<byte[]> dbi = dbis[bucket.ordinal()];
                for (Map.Entry<byte[], byte[]> e : batch.bucket(bucket).entrySet()) {
                    if (e.getValue() == Overlay.DELETED) {
                        dbi.delete(txn, e.getKey());
                    } else {
                        dbi.put(txn, e.getKey(), ValueFrame.frame(e.getKey(), e.getValue()));
                    }
                }
            }
            txn.commit();
        }
    }

    /** File high-water mark: pages up to the last one ever used, times the page size. */
    long sizeBytes() {
        EnvInfo info = env.info();
        return (info.lastPageNumber + 1) * env.stat().pageSize;
    }

    /** Pages holding live data: every bucket's branch, leaf and overflow pages, the main db and metas. */
    long sizeInUseBytes() {
        Stat main = env.stat();
        long pages = META_PAGES + main.branchPages + main.leafPages + main.overflowPages;
        Txn<byte[]> txn = borrowRead();
        try {
            for (Dbi<byte[]> dbi : dbis) {
                Stat s = dbi.stat(txn);
                pages += s.branchPages + s.leafPages + s.overflowPages;
            }
        } finally {
            returnRead(txn);
        }
        return pages * main.pageSize;
    }

    long mapSizeBytes() {
        return env.info().mapSize;
    }

    /** A consistent copy of the committed state; compacting drops free pages (defrag). */
    void copyTo(Path destination, boolean compact) {
        if (compact) {
            env.copy(destination.toFile(), CopyFlags.MDB_CP_COMPACT);
        } else {
            env.copy(destination.toFile());
        }
    }

    /** Doubles the map; only with no txn active in this process (caller holds the env write lock). */
    void growMap() {
        long next = env.info().mapSize * 2;
        LOG.warn("backend: LMDB map full, growing map to {} bytes", next);
        env.setMapSize(next);
    }

    void sync() {
        env.sync(true);
    }

    boolean isClosed() {
        return env.isClosed();
    }

    /** Closes pooled txns, then the env. The caller guarantees no txn is borrowed. */
    void close() {
        Txn<byte[]> txn;
        while ((txn = readPool.poll()) != null) {
            txn.close();
        }
        env.close();
    }

    Txn<byte[]> borrowRead() {
        Txn<byte[]> txn = readPool.poll();
        if (txn == null) {
            return env.txnRead();
        }
        txn.renew();
        return txn;
    }

    /** Reset releases the snapshot at once, so a pooled txn never holds old pages (stale readers). */
    void returnRead(Txn<byte[]> txn) {
        txn.reset();
        readPool.push(txn);
    }
}
