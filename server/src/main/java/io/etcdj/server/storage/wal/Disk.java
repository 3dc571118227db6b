package io.etcdj.server.storage.wal;

import java.io.Closeable;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.List;

/**
 * The file system as the WAL uses it, narrowed so a test can put a fault-injecting disk in its
 * place ({@link SimulatedDisk}). Contract, as POSIX gives it: file writes are durable after
 * {@link DiskFile#force()}; creations, renames and deletions are durable after
 * {@link #syncDir(Path)} of the parent directory.
 */
public interface Disk {

    /** Names of the files in {@code dir} ending in {@code suffix}, sorted by name. */
    List<String> list(Path dir, String suffix) throws IOException;

    /** Opens {@code file} for reading and writing; creates it (empty) if {@code create}. */
    DiskFile open(Path file, boolean create) throws IOException;

    /** Atomically renames, replacing {@code to}; durable after {@link #syncDir}. */
    void rename(Path from, Path to) throws IOException;

    /** Deletes {@code file} if present; durable after {@link #syncDir}. */
    void delete(Path file) throws IOException;

    /** Makes the directory entries of {@code dir} durable. */
    void syncDir(Path dir) throws IOException;

    /** Creates {@code dir} and its parents, durably. */
    void createDirAll(Path dir) throws IOException;

    /** Takes the exclusive lock on {@code dir}, or fails naming it; released by closing. */
    Closeable lock(Path dir) throws IOException;

    /** One open file. Not thread-safe: the WAL's single writer thread owns it. */
    interface DiskFile extends Closeable {

        long sizeBytes() throws IOException;

        /** Reads exactly {@code length} bytes at {@code offset} or throws EOFException. */
        void read(long offset, byte[] dst, int dstOffset, int length) throws IOException;

        /** Writes all of {@code src} at {@code offset}, growing the file if needed. */
        void write(long offset, ByteBuffer src) throws IOException;

        /** fdatasync: the data written so far (and the size) survive a crash. */
        void force() throws IOException;

        /** Shrinks the file to {@code sizeBytes}; durable after {@link #force()}. */
        void truncate(long sizeBytes) throws IOException;

        /** Grows the file with zeros to at least {@code sizeBytes} and makes that durable. */
        void preallocate(long sizeBytes) throws IOException;
    }
}
