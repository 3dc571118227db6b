package io.etcdj.server.mvcc;

import java.nio.ByteBuffer;

/**
 * A point in the store's history: {@code main} is the store revision a write txn produced,
 * {@code sub} the index of the change within that txn. Encoded as the key bucket's key: 8-byte
 * big-endian main, {@code '_'}, 8-byte big-endian sub, plus {@code 't'} for a tombstone (etcd's
 * layout), so byte order is revision order.
 */
public record Revision(long main, long sub) implements Comparable<Revision> {
    /** Length of an encoded revision without the tombstone mark. */
    static final int BYTES = 17;
    /** Length of an encoded tombstone revision. */
    static final int TOMBSTONE_BYTES = 18;
    private static final byte SEPARATOR = '_';
    private static final byte TOMBSTONE_MARK = 't';

    @Override
    public int compareTo(Revision o) {
        int c = Long.compare(main, o.main);
        return c != 0 ? c : Long.compare(sub, o.sub);
    }

    public boolean greaterThan(Revision o) {
        return compareTo(o) > 0;
    }

    /** The key bucket key of a put at this revision. */
    public byte[] toBytes() {
        return ByteBuffer.allocate(BYTES).putLong(main).put(SEPARATOR).putLong(sub).array();
    }

    /** The key bucket key of a delete at this revision. */
    public byte[] toTombstoneBytes() {
        return ByteBuffer.allocate(TOMBSTONE_BYTES).putLong(main).put(SEPARATOR).putLong(sub)
                .put(TOMBSTONE_MARK).array();
    }

    /** The smallest key bucket key with this main revision: an exclusive bound for "main < m". */
    static byte[] mainBound(long main) {
        return ByteBuffer.allocate(Long.BYTES).putLong(main).array();
    }

    /** Decodes a key bucket key; anything but the two layouts is corruption. */
    public static Revision fromBytes(byte[] key) {
        boolean ok = (key.length == BYTES || (key.length == TOMBSTONE_BYTES && key[BYTES] == TOMBSTONE_MARK))
                && key[Long.BYTES] == SEPARATOR;
        if (!ok) {
            throw new IllegalStateException("mvcc: malformed revision key of " + key.length + " bytes");
        }
        ByteBuffer buf = ByteBuffer.wrap(key);
        return new Revision(buf.getLong(0), buf.getLong(Long.BYTES + 1));
    }

    public static boolean isTombstone(byte[] key) {
        return key.length == TOMBSTONE_BYTES && key[BYTES] == TOMBSTONE_MARK;
    }
}
