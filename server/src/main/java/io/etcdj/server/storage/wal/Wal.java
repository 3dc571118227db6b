package io.etcdj.server.storage.wal;

import io.etcdj.raft.Entry;
import io.etcdj.raft.HardState;
import java.io.Closeable;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The write-ahead log of one member: raft's hard state, entries and snapshot markers, in
 * segments under one directory that this object locks while open.
 *
 * <p>Life cycle, as etcd's: {@link #create} a new WAL, or {@link #open} an existing one at the
 * snapshot the server restored and call {@link #readAll()} once; then {@link #save} per raft
 * {@code Ready} from the raft-loop thread (the only thread that may touch this object).
 *
 * <p>Durability: when {@link #save} or {@link #saveSnapshot} returns, everything it was given is
 * on stable storage (one fsync per call: group commit), except that a save carrying only a new
 * commit index is written but not forced, as etcd does — raft can recompute the commit index.
 * Raft's Ready contract therefore holds: persist (this) → send → apply → advance. An
 * {@link IOException} from a write leaves the WAL failed: every later call throws, and the server
 * must stop, as etcd does (retrying could acknowledge data that is not durable).
 */
public final class Wal implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(Wal.class);
    private static final String CREATE_TEMP_NAME = "create.tmp";

    /** FAILED: an I/O error left the tail unknown; like etcd, the server must stop (fail-stop). */
    private enum State { READING, WRITING, FAILED, CLOSED }

    private final Path dir;
    private final WalOptions options;
    private final Disk disk;
    private final Closeable lock;
    /** Every segment file in the directory, oldest first; the last is the one being appended. */
    private final List<SegmentName> segments;
    private final WalSnapshot start;
    /** Segments [0, releasedCount) hold nothing the backend lacks; retention may delete them. */
    private int releasedCount;
    private State state;
    private Appender appender;
    private SegmentPipeline pipeline;
    private byte[] metadata;
    private HardState lastHardState = HardState.EMPTY;
    private long lastIndex;

    private Wal(Path dir, WalOptions options, Closeable lock, List<SegmentName> segments, WalSnapshot start,
            int startPosition) {
        this.dir = dir;
        this.options = options;
        this.disk = options.disk();
        this.lock = lock;
        this.segments = new ArrayList<>(segments);
        this.start = start;
        this.releasedCount = startPosition;
        this.state = State.READING;
    }

    /** Creates a WAL in {@code dir} (made if missing) that must not hold one yet. */
    public static Wal create(Path dir, byte[] metadata, WalOptions options) throws IOException {
        Disk disk = options.disk();
        disk.createDirAll(dir);
        Closeable lock = disk.lock(dir);
        try {
            if (!disk.list(dir, SegmentName.SUFFIX).isEmpty()) {
                throw new IOException("wal: " + dir + " already holds a WAL");
            }
            deleteSpares(disk, dir);
            Path temp = dir.resolve(CREATE_TEMP_NAME);
            Disk.DiskFile file = disk.open(temp, true);
            file.preallocate(options.segmentSizeBytes());
            Appender appender = new Appender(options, file, 0, 0);
            appender.addCrcRecord();
            appender.add(RecordType.METADATA, metadata.length, out -> out.put(metadata));
            appender.add(RecordType.SNAPSHOT, Payloads.snapshotBytes(WalSnapshot.ZERO),
                    out -> Payloads.writeSnapshot(out, WalSnapshot.ZERO));
            appender.flush();
            appender.sync();
            SegmentName first = new SegmentName(0, 0);
            // The name appears only once the content is durable: open() ignores .tmp files.
            disk.rename(temp, dir.resolve(first.fileName()));
            disk.syncDir(dir);
            Wal wal = new Wal(dir, options, lock, List.of(first), WalSnapshot.ZERO, 0);
            wal.metadata = metadata.clone();
            wal.startWriting(appender);
            return wal;
        } catch (IOException | RuntimeException e) {
            lock.close();
            throw e;
        }
    }

    /**
     * Opens the WAL in {@code dir} for replay from {@code snapshot} (use {@link WalSnapshot#ZERO}
     * without one). Call {@link #readAll()} next. Fails if another process has it open, if a
     * segment is missing from the sequence, or if no segment can hold the marker.
     */
    public static Wal open(Path dir, WalSnapshot snapshot, WalOptions options) throws IOException {
        Disk disk = options.disk();
        Closeable lock = disk.lock(dir);
        try {
            deleteSpares(disk, dir);
            List<SegmentName> segments = listSegments(disk, dir);
            int startPosition = -1;
            for (int i = 0; i < segments.size(); i++) {
                if (Long.compareUnsigned(segments.get(i).firstIndex(), snapshot.index()) <= 0) {
                    startPosition = i;
                }
            }
            if (startPosition < 0) {
                throw new CorruptWalException(dir.resolve(segments.get(0).fileName()).toString(), 0,
                        "no segment starts at or before snapshot index " + snapshot.index());
            }
            return new Wal(dir, options, lock, segments, snapshot, startPosition);
        } catch (IOException | RuntimeException e) {
            lock.close();
            throw e;
        }
    }

    /**
     * Replays the WAL from the snapshot marker; a torn final record is cut off (and logged) so
     * appends continue after the last whole one. Any other damage throws
     * {@link CorruptWalException} naming file and offset. Leaves the WAL ready for {@link #save}.
     */
    public ReadResult readAll() throws IOException {
        Invariants.check(state == State.READING, "readAll in state %s", state);
        List<SegmentName> toRead = segments.subList(releasedCount, segments.size());
        Replay.Result result = Replay.run(disk, dir, toRead, start, false, options.maxRecordBytes());
        SegmentScanner.Outcome tail = result.lastOutcome();
        Path lastPath = dir.resolve(segments.getLast().fileName());
        Disk.DiskFile file = disk.open(lastPath, false);
        if (tail.tornProblem() != null) {
            LOG.warn("wal: cutting off a torn final record in {} at offset {} ({}, {} bytes were written of it)",
                    lastPath, tail.endOffset(), tail.tornProblem(), tail.tornBytes());
            file.truncate(tail.endOffset());
            file.force();
        }
        // Re-extends a truncated segment; a no-op for one already preallocated.
        file.preallocate(options.segmentSizeBytes());
        metadata = result.metadata();
        lastHardState = result.hardState();
        lastIndex = result.entries().isEmpty() ? start.index() : result.entries().getLast().index();
        startWriting(new Appender(options, file, tail.endOffset(), tail.crc()));
        return new ReadResult(result.metadata().clone(), result.hardState(), result.entries());
    }

    /**
     * Appends {@code entries} (consecutive; the first may overwrite from any index up to
     * {@code lastIndex + 1}) and {@code hardState} (skipped if {@link HardState#isEmpty()}), then
     * fsyncs once if anything but the commit index changed.
     */
    public void save(HardState hardState, List<Entry> entries) throws IOException {
        requireWriting();
        if (!entries.isEmpty()) {
            checkAppendable(entries);
        }
        boolean mustSync = !entries.isEmpty() || hardState.term() != lastHardState.term()
                || hardState.vote() != lastHardState.vote();
        int crcBefore = appender.crc();
        try {
            for (Entry entry : entries) {
                appender.add(RecordType.ENTRY, 17 + entry.data().length, out -> Payloads.writeEntry(out, entry));
            }
            if (!hardState.isEmpty() && !hardState.equals(lastHardState)) {
                appender.add(RecordType.HARD_STATE, 24, out -> Payloads.writeHardState(out, hardState));
            }
        } catch (RuntimeException e) {
            appender.discard(crcBefore); // nothing of this batch reached the disk
            throw e;
        }
        if (!appender.hasPending()) {
            return;
        }
        failStopOnError(() -> {
            appender.flush();
            if (!entries.isEmpty()) {
                lastIndex = entries.getLast().index();
            }
            if (!hardState.isEmpty()) {
                lastHardState = hardState;
            }
            finishBatch(mustSync);
        });
    }

    private interface IoStep {
        void run() throws IOException;
    }

    /** After a failed write or fsync nothing is known about the tail: refuse all further use. */
    private void failStopOnError(IoStep step) throws IOException {
        try {
            step.run();
        } catch (IOException | RuntimeException e) {
            state = State.FAILED;
            throw e;
        }
    }

    /** Appends a snapshot marker and fsyncs; replay may then start at {@code snapshot}. */
    public void saveSnapshot(WalSnapshot snapshot) throws IOException {
        requireWriting();
        appender.add(RecordType.SNAPSHOT, Payloads.snapshotBytes(snapshot), out -> Payloads.writeSnapshot(out, snapshot));
        failStopOnError(() -> {
            appender.flush();
            lastIndex = Math.max(lastIndex, snapshot.index());
            finishBatch(true);
        });
    }

    /**
     * Marks the segments wholly before the one holding {@code index} as no longer needed (the
     * backend durably holds everything up to {@code index}), then deletes the oldest released
     * segments while more than {@code maxWals} files remain. Never deletes an unreleased segment.
     */
    public void releaseLockTo(long index) throws IOException {
        requireWriting();
        int firstAtOrAbove = segments.size();
        for (int i = 0; i < segments.size(); i++) {
            if (Long.compareUnsigned(segments.get(i).firstIndex(), index) >= 0) {
                firstAtOrAbove = i;
                break;
            }
        }
        // As etcd: keep the segment before the first one starting at or above index.
        int releasable = firstAtOrAbove == segments.size() ? segments.size() - 1 : firstAtOrAbove - 1;
        releasedCount = Math.max(releasedCount, Math.max(0, releasable));
        failStopOnError(this::purge);
    }

    /** etcd's --max-wals: delete the oldest released segments while too many files remain. */
    private void purge() throws IOException {
        int deleted = 0;
        while (options.maxWals() > 0 && segments.size() > options.maxWals() && releasedCount > 0) {
            SegmentName oldest = segments.removeFirst();
            releasedCount--;
            disk.delete(dir.resolve(oldest.fileName()));
            LOG.info("wal: purged segment {} (max-wals {})", dir.resolve(oldest.fileName()), options.maxWals());
            deleted++;
        }
        if (deleted > 0) {
            disk.syncDir(dir);
        }
    }

    /** Syncs the batch just written, or cuts to a new segment if the current one is full. */
    private void finishBatch(boolean mustSync) throws IOException {
        if (appender.offsetBytes() >= options.segmentSizeBytes()) {
            cut();
        } else if (mustSync) {
            appender.sync();
        }
    }

    /**
     * Starts a new segment: sync the full one, write the chain's CRC, the metadata and the hard
     * state into a prepared spare, sync it, and only then give it its {@code .wal} name, so a
     * crash at any step leaves either the old tail or a complete new segment.
     */
    private void cut() throws IOException {
        appender.sync();
        SegmentPipeline.Spare spare = pipeline.take();
        SegmentName name = new SegmentName(segments.getLast().sequence() + 1, lastIndex + 1);
        Disk.DiskFile previous = appender.switchTo(spare.file());
        previous.close();
        appender.addCrcRecord();
        byte[] meta = metadata;
        HardState state = lastHardState;
        appender.add(RecordType.METADATA, meta.length, out -> out.put(meta));
        appender.add(RecordType.HARD_STATE, 24, out -> Payloads.writeHardState(out, state));
        appender.flush();
        appender.sync();
        disk.rename(spare.path(), dir.resolve(name.fileName()));
        disk.syncDir(dir);
        segments.add(name);
    }

    /** Syncs and releases the file handles and the directory lock. Idempotent. */
    @Override
    public void close() throws IOException {
        if (state == State.CLOSED) {
            return;
        }
        State was = state;
        state = State.CLOSED;
        try (Closeable releaseLock = lock) {
            if (was == State.WRITING || was == State.FAILED) {
                try (Disk.DiskFile file = appender.file(); SegmentPipeline spares = pipeline) {
                    if (was == State.WRITING) {
                        appender.sync();
                    }
                }
            }
        }
    }

    /**
     * The snapshot markers in the WAL at {@code dir} that a snapshot file may be trusted for:
     * those at or below the last durable commit index (etcd's ValidSnapshotEntries). Reads
     * without locking or repairing; a torn tail just ends the read.
     */
    public static List<WalSnapshot> validSnapshotEntries(Path dir, WalOptions options) throws IOException {
        List<SegmentName> segments = listSegments(options.disk(), dir);
        Replay.Result result = Replay.run(options.disk(), dir, segments, WalSnapshot.ZERO, true,
                options.maxRecordBytes());
        long commit = result.hardState().commit();
        return result.markers().stream().filter(m -> Long.compareUnsigned(m.index(), commit) <= 0).toList();
    }

    /** Whether {@code dir} holds WAL segments. */
    public static boolean exists(Path dir, WalOptions options) throws IOException {
        return !options.disk().list(dir, SegmentName.SUFFIX).isEmpty();
    }

    /** The raft index of the last entry saved (or of the newest snapshot marker, if later). */
    public long lastIndex() {
        return lastIndex;
    }

    List<SegmentName> segments() {
        return List.copyOf(segments);
    }

    Path dir() {
        return dir;
    }

    private void startWriting(Appender newAppender) {
        appender = newAppender;
        pipeline = new SegmentPipeline(disk, dir, options.segmentSizeBytes(), options.preallocateAhead());
        state = State.WRITING;
    }

    private void requireWriting() {
        Invariants.check(state == State.WRITING, "wal used in state %s (call readAll() after open())", state);
    }

    private void checkAppendable(List<Entry> entries) {
        long first = entries.getFirst().index();
        Invariants.check(first >= 1 && first <= lastIndex + 1, "entries start at %d but last index is %d",
                first, lastIndex);
        for (int i = 1; i < entries.size(); i++) {
            Invariants.check(entries.get(i).index() == first + i, "entry %d of the batch has index %d, expected %d",
                    i, entries.get(i).index(), first + i);
        }
    }

    private static void deleteSpares(Disk disk, Path dir) throws IOException {
        for (String name : disk.list(dir, SegmentPipeline.SPARE_SUFFIX)) {
            disk.delete(dir.resolve(name));
        }
    }

    /** The segment names in order; refuses a gap in the sequence or a stray name. */
    private static List<SegmentName> listSegments(Disk disk, Path dir) throws IOException {
        List<SegmentName> segments = new ArrayList<>();
        for (String fileName : disk.list(dir, SegmentName.SUFFIX)) {
            SegmentName name = SegmentName.parse(fileName);
            if (name == null) {
                throw new CorruptWalException(dir.resolve(fileName).toString(), 0, "not a wal segment name");
            }
            if (!segments.isEmpty() && name.sequence() != segments.getLast().sequence() + 1) {
                throw new CorruptWalException(dir.resolve(fileName).toString(), 0, "segment sequence "
                        + Long.toHexString(segments.getLast().sequence() + 1) + " is missing before this one");
            }
            segments.add(name);
        }
        if (segments.isEmpty()) {
            throw new java.nio.file.NoSuchFileException(dir.toString(), null, "wal: no segments");
        }
        return segments;
    }
}
