package io.etcdj.server.storage.backend;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.util.Arrays;

/**
 * Turns a snapshot stream file (db bytes + SHA-256 trailer) back into a db file, for
 * {@code snapshot restore} and for members receiving a snapshot. Like etcd, a file has a trailer
 * when {@code size % 512 == 32} (db files are whole pages); a file without one is accepted only with
 * {@code skipHashCheck} (a raw db file copied out of a data dir).
 */
public final class SnapshotRestore {
    /** etcd's test for "has a trailer": db files are multiples of 512 bytes. */
    private static final int SECTOR_BYTES = 512;

    private SnapshotRestore() {
    }

    /** Thrown when the trailer does not match or is missing: the file must not be used. */
    public static final class CorruptSnapshotException extends IOException {
        CorruptSnapshotException(String message) {
            super(message);
        }
    }

    /**
     * Verifies {@code snapshot} and writes the db part to {@code dbFile} (temp file, fsync, rename),
     * which must not exist yet.
     */
    public static void restore(Path snapshot, Path dbFile, boolean skipHashCheck) throws IOException {
        long size = Files.size(snapshot);
        boolean hasTrailer = size % SECTOR_BYTES == BackendSnapshot.TRAILER_BYTES;
        if (!hasTrailer && !skipHashCheck) {
            throw new CorruptSnapshotException("snapshot " + snapshot + " of " + size
                    + " bytes has no sha256 trailer (use skip-hash-check for a raw db file)");
        }
        if (Files.exists(dbFile)) {
            throw new IOException("restore target " + dbFile + " already exists");
        }
        long dbBytes = hasTrailer ? size - BackendSnapshot.TRAILER_BYTES : size;
        Files.createDirectories(dbFile.toAbsolutePath().getParent());
        Path tmp = dbFile.resolveSibling(dbFile.getFileName() + ".restore.tmp");
        MessageDigest sha = BackendSnapshot.sha256();
        byte[] trailer = new byte[BackendSnapshot.TRAILER_BYTES];
        try (InputStream in = Files.newInputStream(snapshot); OutputStream out = Files.newOutputStream(tmp)) {
            copyCounted(in, out, sha, dbBytes);
            if (hasTrailer && in.readNBytes(trailer, 0, trailer.length) != trailer.length) {
                throw new CorruptSnapshotException("snapshot " + snapshot + " trailer truncated");
            }
        }
        if (hasTrailer && !Arrays.equals(sha.digest(), trailer)) {
            Files.deleteIfExists(tmp);
            throw new CorruptSnapshotException("snapshot " + snapshot + ": sha256 mismatch (file damaged)");
        }
        Defrag.fsync(tmp, false);
        Files.move(tmp, dbFile, StandardCopyOption.ATOMIC_MOVE);
        Defrag.fsync(dbFile.toAbsolutePath().getParent(), true);
    }

    private static void copyCounted(InputStream in, OutputStream out, MessageDigest sha, long bytes)
            throws IOException {
        byte[] buf = new byte[64 * 1024];
        long left = bytes;
        while (left > 0) {
            int n = in.read(buf, 0, (int) Math.min(buf.length, left));
            if (n < 0) {
                throw new CorruptSnapshotException("snapshot ended " + left + " bytes early");
            }
            sha.update(buf, 0, n);
            out.write(buf, 0, n);
            left -= n;
        }
    }
}
