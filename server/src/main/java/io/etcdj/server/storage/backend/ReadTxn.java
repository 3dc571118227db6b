package io.etcdj.server.storage.backend;

import io.etcdj.server.storage.schema.Bucket;

/**
 * A read view of the backend: sees every write made before it was opened, committed to LMDB or
 * still buffered. Cheap to open; holds no LMDB snapshot between calls (each call borrows a pooled
 * read transaction), so a forgotten view never pins old pages. Not thread-safe; one per reader.
 */
public interface ReadTxn extends AutoCloseable {

    /** The value under {@code key}, or null. Throws {@link CorruptValueException} on a bad checksum. */
    byte[] get(Bucket bucket, byte[] key);

    /**
     * Visits keys in {@code [from, to)} in unsigned-lexicographic order ({@code to == null}: to the
     * end), newest buffered value winning, until the visitor returns false.
     */
    void forEach(Bucket bucket, byte[] from, byte[] to, Visitor visitor);

    /** Ends the view. */
    @Override
    void close();

    /** Receives one key and value of a scan. */
    @FunctionalInterface
    interface Visitor {
        /** @return whether to continue */
        boolean visit(byte[] key, byte[] value);
    }
}
