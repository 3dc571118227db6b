package io.etcdj.server.storage.backend;

import io.etcdj.server.storage.schema.Bucket;
import io.etcdj.server.storage.schema.MetaKeys;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;
import java.util.concurrent.locks.Lock;
import java.util.concurrent.locks.StampedLock;
import org.lmdbjava.Env;

/**
 * The storage backend on LMDB: etcd's buckets as named databases, one writer, concurrent readers.
 *
 * <p>Commit cadence (docs/storage.md): writes go to an in-memory batch; the batch is handed to a
 * committer thread every {@code batchInterval} or {@code batchLimitOps} writes and committed in one
 * synced LMDB transaction. Readers consult the uncommitted batches first, so a write is visible the
 * moment its write txn closes. A crash loses at most the uncommitted batches, never the file's
 * integrity (LMDB's synced meta-page switch); the consistent index travels in the same batch as the
 * data, so the server replays the WAL from exactly the right entry.
 *
 * <p>Lock order: batch lock, then env lock. The batch lock serializes writers (apply thread,
 * compactor); the env lock's read side is held by every LMDB access, its write side only by defrag
 * and close, which swap or drop the environment.
 */
public final class Backend implements AutoCloseable {
    static final String DEFRAG_SUFFIX = ".defrag.tmp";
    static final String SNAPSHOT_SUFFIX = ".snapshot.tmp";
    /** The quota alarm should stop writes long before; this only bounds a runaway retry. */
    private static final int MAX_MAP_GROWTHS = 4;
    /** Reader slots left for snapshot/defrag copies and size accounting, which read outside ReadTxns. */
    private static final int RESERVED_READERS = 24;

    private final BackendConfig config;
    private final ReentrantLock batchLock = new ReentrantLock();
    /**
     * Env lock: a StampedLock's views, because a ReadTxn takes the read side on one call and may
     * release it on another thread. Not reentrant: a thread holding an open ReadTxn must not wait
     * on the backend for anything that needs the write side (defragment, close).
     */
    private final StampedLock envLock = new StampedLock();
    private final Lock envRead = envLock.asReadLock();
    private final Lock envWrite = envLock.asWriteLock();
    /** Open ReadTxns holding an LMDB read txn; slots are kept back for copies and size stats. */
    private final Semaphore readerPermits = new Semaphore(LmdbEnv.MAX_READERS - RESERVED_READERS);
    private final Committer committer;
    private final ScheduledExecutorService batchTimer;
    /** LMDB map size for (re)opening; grows when a commit hits MDB_MAP_FULL. Guarded by envLock. */
    private long mapSizeBytes;
    /** Guarded by envLock (replaced under its write side). */
    private LmdbEnv env;
    /** Replaced under viewMonitor; read lock-free. */
    private volatile View view;
    private final Object viewMonitor = new Object();
    private boolean closed;

    private Backend(BackendConfig config, long mapSizeBytes) {
        this.config = config;
        this.mapSizeBytes = mapSizeBytes;
        try {
            Files.createDirectories(config.dbFile().toAbsolutePath().getParent());
        } catch (IOException e) {
            throw new UncheckedIOException("backend: cannot create " + config.dbFile().getParent(), e);
        }
        removeLeftovers(config.dbFile());
        this.env = openEnv();
        this.view = new View(new Overlay(1), List.of());
        this.committer = new Committer(this, config.maxPendingBatches());
        this.batchTimer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "backend-batch-timer");
            t.setDaemon(true);
            return t;
        });
        long intervalNanos = config.batchInterval().toNanos();
        batchTimer.scheduleWithFixedDelay(this::rotateIfDue, intervalNanos, intervalNanos, TimeUnit.NANOSECONDS);
    }

    /** Opens (creating if absent) the db file named by the config. */
    public static Backend open(BackendConfig config) {
        return new Backend(config, config.mapSizeBytes());
    }

    /** Test hook: a map far below the quota's, to drive the MDB_MAP_FULL growth path. */
    static Backend openWithMapSize(BackendConfig config, long mapSizeBytes) {
        return new Backend(config, mapSizeBytes);
    }

    public BackendConfig config() {
        return config;
    }

    /** A read view of everything written before this call. */
    public ReadTxn beginRead() {
        committer.throwIfFailed();
        return new OverlayReadTxn(this, view);
    }

    /** The single writer's txn; blocks while another write txn (e.g. a compaction batch) is open. */
    public WriteTxn beginWrite() {
        batchLock.lock();
        try {
            checkNotClosed();
            committer.throwIfFailed();
        } catch (RuntimeException e) {
            batchLock.unlock();
            throw e;
        }
        return new BatchWriteTxn(this);
    }

    /** Makes every write made so far durable in LMDB before returning (etcd's ForceCommit). */
    public void forceCommit() {
        long sequence;
        batchLock.lock();
        try {
            checkNotClosed();
            sequence = rotate();
        } finally {
            batchLock.unlock();
        }
        committer.awaitCommitted(sequence);
    }

    /** Caller holds the batch lock. Writing to a closed backend would wait for a dead committer. */
    private void checkNotClosed() {
        if (closed) {
            throw new IllegalStateException("backend: closed");
        }
    }

    /** The consistent index stored with the data, 0 on a fresh backend. */
    public long consistentIndex() {
        return readMetaLong(MetaKeys.CONSISTENT_INDEX);
    }

    /** The raft term stored with the consistent index, 0 on a fresh backend. */
    public long term() {
        return readMetaLong(MetaKeys.TERM);
    }

    /** File high-water mark in bytes (etcd's dbSize). */
    public long sizeBytes() {
        return withEnv(LmdbEnv::sizeBytes);
    }

    /** Bytes of pages holding live data (etcd's dbSizeInUse). */
    public long sizeInUseBytes() {
        return withEnv(LmdbEnv::sizeInUseBytes);
    }

    /** The LMDB map size (upper bound of the file), derived from the quota. */
    public long mapSizeBytes() {
        return withEnv(LmdbEnv::mapSizeBytes);
    }

    /**
     * Rewrites the db without free pages and swaps it in. Blocks writers and readers while running.
     * Crash safety: see {@link Defrag}.
     */
    public void defragment() {
        batchLock.lock();
        try {
            checkNotClosed();
            committer.awaitCommitted(rotate());
            envWrite.lock();
            LmdbEnv old = env;
            env = null;
            try {
                env = Defrag.run(old, config.dbFile(), this::openEnv);
            } finally {
                if (env == null) {
                    // Failed: keep the old env if the copy failed, else reopen whatever db is whole.
                    env = old.isClosed() ? openEnv() : old;
                }
                envWrite.unlock();
            }
        } finally {
            batchLock.unlock();
        }
    }

    /** A consistent copy of everything written so far, ready to stream with its SHA-256 trailer. */
    public BackendSnapshot snapshot() {
        forceCommit();
        Path copy = config.dbFile().resolveSibling(config.dbFile().getFileName() + SNAPSHOT_SUFFIX
                + "." + System.nanoTime());
        envRead.lock();
        try {
            env.copyTo(copy, false);
        } finally {
            envRead.unlock();
        }
        return new BackendSnapshot(copy);
    }

    /** Reads every value of every bucket, verifying checksums; throws on the first corrupt one. */
    public long verify() {
        long[] count = {0};
        try (ReadTxn txn = beginRead()) {
            for (Bucket bucket : Bucket.values()) {
                txn.forEach(bucket, new byte[0], null, (k, v) -> {
                    count[0]++;
                    return true;
                });
            }
        }
        return count[0];
    }

    /**
     * Maintenance.Hash (testing only in etcd): CRC-32C over every bucket in name order — its name,
     * then each key and value — skipping meta's consistent_index and term, which differ between
     * members for reasons outside the user's data (etcd's DefaultIgnores).
     */
    public int hash() {
        java.util.zip.CRC32C crc = new java.util.zip.CRC32C();
        List<Bucket> byName = new java.util.ArrayList<>(List.of(Bucket.values()));
        byName.sort((a, b) -> java.util.Arrays.compareUnsigned(a.nameBytes(), b.nameBytes()));
        try (ReadTxn txn = beginRead()) {
            for (Bucket bucket : byName) {
                crc.update(bucket.nameBytes());
                txn.forEach(bucket, new byte[0], null, (k, v) -> {
                    boolean ignored = bucket == Bucket.META && (java.util.Arrays.equals(k, MetaKeys.CONSISTENT_INDEX)
                            || java.util.Arrays.equals(k, MetaKeys.TERM));
                    if (!ignored) {
                        crc.update(k);
                        crc.update(v);
                    }
                    return true;
                });
            }
        }
        return (int) crc.getValue();
    }

    /** Commits what is buffered (synced) and closes. Writes after close fail. */
    @Override
    public void close() {
        batchLock.lock();
        try {
            if (closed) {
                return;
            }
            closed = true;
            batchTimer.shutdownNow();
            long sequence = rotate();
            committer.shutdown(sequence);
            envWrite.lock();
            try {
                if (!config.syncCommits()) {
                    env.sync();
                }
                env.close();
            } finally {
                envWrite.unlock();
            }
        } finally {
            batchLock.unlock();
        }
    }

    /**
     * Test hook: a crash. Drops buffered batches without committing and closes the env, like a
     * process killed between batch commits.
     */
    void crashForTest() {
        batchLock.lock();
        try {
            closed = true;
            batchTimer.shutdownNow();
            committer.abandon();
            envWrite.lock();
            try {
                env.close();
            } finally {
                envWrite.unlock();
            }
        } finally {
            batchLock.unlock();
        }
    }

    View currentView() {
        return view;
    }

    /**
     * A committed-state reader: an LMDB read txn borrowed under the env read lock, held until
     * {@link #closeReader}. Borrowed lazily by a ReadTxn after it captured its view (see View).
     */
    record Reader(LmdbEnv env, org.lmdbjava.Txn<byte[]> txn) {
    }

    Reader openReader() {
        // Beyond LMDB's reader table a reader would fail with MDB_READERS_FULL; wait instead.
        readerPermits.acquireUninterruptibly();
        envRead.lock();
        try {
            LmdbEnv current = env;
            return new Reader(current, current.borrowRead());
        } catch (RuntimeException e) {
            envRead.unlock();
            readerPermits.release();
            throw e;
        }
    }

    void closeReader(Reader reader) {
        try {
            reader.env().returnRead(reader.txn());
        } finally {
            envRead.unlock();
            readerPermits.release();
        }
    }

    /** Called by the committer thread for each frozen batch, in sequence order. */
    void commitBatch(Overlay batch) {
        for (int growths = 0; ; growths++) {
            envRead.lock();
            try {
                env.commit(batch);
                break;
            } catch (Env.MapFullException e) {
                if (growths >= MAX_MAP_GROWTHS) {
                    throw e;
                }
            } finally {
                envRead.unlock();
            }
            // MDB_MAP_FULL aborted the txn; grow the map with no txn active, then retry the batch.
            envWrite.lock();
            try {
                env.growMap();
                mapSizeBytes = env.mapSizeBytes();
            } finally {
                envWrite.unlock();
            }
        }
        synchronized (viewMonitor) {
            view = view.committed(batch);
        }
    }

    /** Called when a write txn closes: hand the batch over once it reaches the op limit. */
    void endWrite() {
        try {
            Overlay live = view.live();
            if (live.ops() >= config.batchLimitOps() || live.bytes() >= config.batchLimitBytes()) {
                rotate();
            }
        } finally {
            batchLock.unlock();
        }
    }

    /**
     * Freezes the live batch and queues it for commit (blocks while maxPendingBatches are queued).
     * Caller holds the batch lock. Returns the sequence of the newest batch handed over.
     */
    private long rotate() {
        Checks.check(batchLock.isHeldByCurrentThread(), "rotate without the batch lock");
        // Rotating inside an open write txn would freeze the batch that txn is still writing.
        Checks.check(batchLock.getHoldCount() == 1, "rotate (forceCommit/snapshot/defrag) inside an open write txn");
        Overlay live = view.live();
        if (live.isEmpty()) {
            return live.sequence - 1;
        }
        synchronized (viewMonitor) {
            view = view.rotated(new Overlay(live.sequence + 1));
        }
        committer.enqueue(live);
        return live.sequence;
    }

    private void rotateIfDue() {
        batchLock.lock();
        try {
            if (!closed) {
                rotate();
            }
        } catch (RuntimeException e) {
            // The committer records the failure; writers see it on their next txn.
        } finally {
            batchLock.unlock();
        }
    }

    private LmdbEnv openEnv() {
        return new LmdbEnv(config.dbFile(), mapSizeBytes, config.syncCommits(), config.verifyChecksums());
    }

    private long readMetaLong(byte[] key) {
        try (ReadTxn txn = beginRead()) {
            byte[] value = txn.get(Bucket.META, key);
            return value == null ? 0 : MetaKeys.decodeLong(value);
        }
    }

    private <T> T withEnv(java.util.function.Function<LmdbEnv, T> f) {
        envRead.lock();
        try {
            return f.apply(env);
        } finally {
            envRead.unlock();
        }
    }

    /** Recovery rule for interrupted defrag/snapshot: their temp files are garbage; db is intact. */
    private static void removeLeftovers(Path dbFile) {
        Path dir = dbFile.toAbsolutePath().getParent();
        if (dir == null || !Files.isDirectory(dir)) {
            return;
        }
        String base = dbFile.getFileName().toString();
        try (var files = Files.list(dir)) {
            for (Path p : files.toList()) {
                String name = p.getFileName().toString();
                if (name.equals(base + DEFRAG_SUFFIX) || name.startsWith(base + SNAPSHOT_SUFFIX)) {
                    Files.deleteIfExists(p);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("backend: cannot clean leftovers in " + dir, e);
        }
    }
}
