package io.etcdj.server.storage.schema;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/**
 * Keys of the {@link Bucket#META} bucket (etcd's names) and the 8-byte big-endian encoding of the
 * integer values stored under them.
 */
public final class MetaKeys {
    /** Index of the last raft entry whose effects are in the backend; committed with that data. */
    public static final byte[] CONSISTENT_INDEX = ascii("consistent_index");
    /** Raft term of the entry at {@link #CONSISTENT_INDEX}. */
    public static final byte[] TERM = ascii("term");
    /** Compaction revision whose physical deletion finished. */
    public static final byte[] FINISHED_COMPACT_REV = ascii("finishedCompactRev");
    /** Compaction revision requested; differs from finished while (or if interrupted while) deleting. */
    public static final byte[] SCHEDULED_COMPACT_REV = ascii("scheduledCompactRev");
    /** raftpb.ConfState bytes of the last applied configuration. */
    public static final byte[] CONF_STATE = ascii("confState");
    /** Storage schema version ("3.6"), as etcd's storageVersion. */
    public static final byte[] STORAGE_VERSION = ascii("storageVersion");

    private static final int LONG_BYTES = Long.BYTES;

    private MetaKeys() {
    }

    /** Big-endian 8 bytes, etcd's encoding of uint64 meta values. */
    public static byte[] encodeLong(long value) {
        return ByteBuffer.allocate(LONG_BYTES).putLong(value).array();
    }

    /** Decodes {@link #encodeLong}; a wrong length is corruption, not a default. */
    public static long decodeLong(byte[] bytes) {
        if (bytes.length != LONG_BYTES) {
            throw new IllegalStateException("meta value has " + bytes.length + " bytes, want " + LONG_BYTES);
        }
        return ByteBuffer.wrap(bytes).getLong();
    }

    private static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }
}
