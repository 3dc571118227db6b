package io.etcdj.server.storage.backend;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/**
 * A consistent point-in-time copy of the db, streamed as etcd's Maintenance.Snapshot does: the db
 * bytes followed by the 32-byte SHA-256 of them. The copy is taken at creation (LMDB copies from a
 * read txn, so writers continue); {@link #close} deletes it.
 */
public final class BackendSnapshot implements AutoCloseable {
    /** Length of the SHA-256 trailer. */
    public static final int TRAILER_BYTES = 32;
    private static final int CHUNK_BYTES = 64 * 1024;

    private final Path copy;

    BackendSnapshot(Path copy) {
        this.copy = copy;
    }

    /** Total bytes {@link #writeTo} will write, trailer included (etcd's remaining_bytes start). */
    public long sizeBytes() {
        try {
            return Files.size(copy) + TRAILER_BYTES;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Streams the db bytes, then their SHA-256. */
    public void writeTo(OutputStream out) throws IOException {
        MessageDigest sha = sha256();
        byte[] buf = new byte[CHUNK_BYTES];
        try (InputStream in = Files.newInputStream(copy)) {
            int n;
            while ((n = in.read(buf)) > 0) {
                sha.update(buf, 0, n);
                out.write(buf, 0, n);
            }
        }
        out.write(sha.digest());
        out.flush();
    }

    @Override
    public void close() {
        try {
            Files.deleteIfExists(copy);
        } catch (IOException e) {
            throw new UncheckedIOException("snapshot: cannot delete " + copy, e);
        }
    }

    static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("JDK without SHA-256", e);
        }
    }
}
