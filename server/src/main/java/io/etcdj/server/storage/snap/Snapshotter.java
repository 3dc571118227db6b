package io.etcdj.server.storage.snap;

import io.etcdj.pkg.fileutil.FileUtil;
import io.etcdj.raft.Snapshot;
import io.etcdj.server.storage.wal.WalSnapshot;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Saves, finds and retires snapshot files in one directory (see the package documentation).
 * Used from the raft-loop thread; not thread-safe.
 */
public final class Snapshotter {

    public static final String SNAP_SUFFIX = ".snap";
    public static final String DB_SUFFIX = ".snap.db";
    public static final String BROKEN_SUFFIX = ".broken";
    public static final int DEFAULT_MAX_SNAPSHOTS = 5;
    /** A snapshot metadata file larger than this is not read into memory: it is damage. */
    public static final long MAX_SNAP_FILE_BYTES = 512L << 20;

    private static final Logger LOG = LoggerFactory.getLogger(Snapshotter.class);
    private static final HexFormat HEX = HexFormat.of().withLowerCase();

    private final Path dir;

    /** Uses {@code dir}, creating it (durably) if missing. */
    public Snapshotter(Path dir) throws IOException {
        FileUtil.createDirAll(dir);
        this.dir = dir;
    }

    public Path dir() {
        return dir;
    }

    /** Writes {@code snapshot} as {@code <term>-<index>.snap} atomically; an empty one is skipped. */
    public void save(Snapshot snapshot) throws IOException {
        if (snapshot.isEmpty()) {
            return;
        }
        FileUtil.writeAtomically(dir.resolve(fileName(snapshot.metadata().term(), snapshot.metadata().index())),
                SnapshotCodec.encode(snapshot));
    }

    /**
     * The newest snapshot file that matches one of the WAL's valid markers (term and index), or
     * empty if there is none. A matching file that is damaged is renamed to {@code .broken}
     * (logged) and the next older one tried.
     */
    public Optional<Snapshot> loadNewestAvailable(List<WalSnapshot> fromWal) throws IOException {
        List<String> names = new ArrayList<>(FileUtil.listBySuffix(dir, SNAP_SUFFIX));
        for (String name : names.reversed()) {
            long[] termIndex = parseName(name);
            if (termIndex == null || fromWal.stream().noneMatch(
                    m -> m.term() == termIndex[0] && m.index() == termIndex[1])) {
                continue;
            }
            Optional<Snapshot> loaded = loadOrQuarantine(name, termIndex);
            if (loaded.isPresent()) {
                return loaded;
            }
        }
        return Optional.empty();
    }

    private Optional<Snapshot> loadOrQuarantine(String name, long[] termIndex) throws IOException {
        Path file = dir.resolve(name);
        String problem;
        try {
            if (Files.size(file) > MAX_SNAP_FILE_BYTES) {
                throw new IllegalArgumentException("file of " + Files.size(file) + " bytes is over the limit");
            }
            Snapshot snapshot = SnapshotCodec.decode(Files.readAllBytes(file));
            if (snapshot.metadata().term() == termIndex[0] && snapshot.metadata().index() == termIndex[1]) {
                return Optional.of(snapshot);
            }
            problem = "content is term " + snapshot.metadata().term() + " index " + snapshot.metadata().index()
                    + ", not what the name says";
        } catch (IllegalArgumentException e) {
            problem = e.getMessage();
        }
        Path broken = dir.resolve(name + BROKEN_SUFFIX);
        LOG.warn("snap: {} is damaged ({}); renamed to {}", file, problem, broken.getFileName());
        FileUtil.renameDurably(file, broken);
        return Optional.empty();
    }

    /** etcd's --max-snapshots: deletes the oldest {@code .snap} files beyond {@code maxSnapshots}. */
    public void purge(int maxSnapshots) throws IOException {
        if (maxSnapshots <= 0) {
            return; // 0 keeps all, as etcd
        }
        List<String> names = FileUtil.listBySuffix(dir, SNAP_SUFFIX);
        for (int i = 0; i < names.size() - maxSnapshots; i++) {
            Files.deleteIfExists(dir.resolve(names.get(i)));
            LOG.info("snap: purged {} (max-snapshots {})", dir.resolve(names.get(i)), maxSnapshots);
        }
        if (names.size() > maxSnapshots) {
            FileUtil.fsyncDir(dir);
        }
    }

    /** Where the backend database received for the snapshot at {@code index} lives. */
    public Path dbFilePath(long index) {
        return dir.resolve(HEX.toHexDigits(index) + DB_SUFFIX);
    }

    /**
     * Stores a received backend database for the snapshot at {@code index}: streamed to a
     * temporary file, at most {@code maxBytes}, fsynced, renamed into place; returns its path.
     */
    public Path saveDb(InputStream in, long index, long maxBytes) throws IOException {
        Path target = dbFilePath(index);
        Path temporary = dir.resolve(target.getFileName() + ".tmp");
        long written = 0;
        try (OutputStream out = Files.newOutputStream(temporary, StandardOpenOption.CREATE,
                StandardOpenOption.TRUNCATE_EXISTING, StandardOpenOption.WRITE)) {
            byte[] chunk = new byte[64 << 10];
            for (int n; (n = in.read(chunk)) > 0; ) {
                written += n;
                if (written > maxBytes) {
                    throw new IOException("snap: received database over " + maxBytes + " bytes");
                }
                out.write(chunk, 0, n);
            }
        } catch (IOException e) {
            Files.deleteIfExists(temporary);
            throw e;
        }
        FileUtil.fsync(temporary);
        FileUtil.renameDurably(temporary, target);
        return target;
    }

    /** The database file for the snapshot at {@code index}, if one was received. */
    public Optional<Path> findDb(long index) {
        Path path = dbFilePath(index);
        return Files.isRegularFile(path) ? Optional.of(path) : Optional.empty();
    }

    /** Deletes received database files of snapshots older than {@code index}. */
    public void releaseDbsBelow(long index) throws IOException {
        boolean deleted = false;
        for (String name : FileUtil.listBySuffix(dir, DB_SUFFIX)) {
            String hex = name.substring(0, name.length() - DB_SUFFIX.length());
            if (hex.length() == 16 && Long.compareUnsigned(Long.parseUnsignedLong(hex, 16), index) < 0) {
                deleted |= Files.deleteIfExists(dir.resolve(name));
            }
        }
        if (deleted) {
            FileUtil.fsyncDir(dir);
        }
    }

    static String fileName(long term, long index) {
        return HEX.toHexDigits(term) + "-" + HEX.toHexDigits(index) + SNAP_SUFFIX;
    }

    /** {term, index} from a {@code .snap} name, or null if the name is not one we write. */
    static long[] parseName(String name) {
        if (name.length() != 33 + SNAP_SUFFIX.length() || name.charAt(16) != '-') {
            return null;
        }
        try {
            return new long[] {Long.parseUnsignedLong(name.substring(0, 16), 16),
                Long.parseUnsignedLong(name.substring(17, 33), 16)};
        } catch (NumberFormatException e) {
            return null;
        }
    }
}
