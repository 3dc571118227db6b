package io.etcdj.server.storage.backend;

import io.etcdj.server.storage.schema.Bucket;
import java.util.Arrays;
import java.util.zip.CRC32C;

/**
 * The on-disk frame of every value: 4-byte big-endian CRC-32C of (key ‖ value), then the value.
 * Covering the key too catches a flipped byte in a key (which would file a value under the wrong
 * revision), not only in the value. bbolt has no such check and serves whatever the page holds.
 */
final class ValueFrame {
    static final int HEADER_BYTES = Integer.BYTES;

    private ValueFrame() {
    }

    static byte[] frame(byte[] key, byte[] value) {
        byte[] framed = new byte[HEADER_BYTES + value.length];
        int crc = crc(key, value, 0, value.length);
        framed[0] = (byte) (crc >>> 24);
        framed[1] = (byte) (crc >>> 16);
        framed[2] = (byte) (crc >>> 8);
        framed[3] = (byte) crc;
        System.arraycopy(value, 0, framed, HEADER_BYTES, value.length);
        return framed;
    }

    /** Strips the frame; with {@code verify}, a mismatch throws naming bucket and key. */
    static byte[] unframe(Bucket bucket, byte[] key, byte[] framed, boolean verify) {
        if (framed.length < HEADER_BYTES) {
            if (verify) {
                throw new CorruptValueException(bucket.bucketName(), key,
                        "value of " + framed.length + " bytes is shorter than its checksum");
            }
            return framed;
        }
        if (verify) {
            int stored = ((framed[0] & 0xff) << 24) | ((framed[1] & 0xff) << 16)
                    | ((framed[2] & 0xff) << 8) | (framed[3] & 0xff);
            int actual = crc(key, framed, HEADER_BYTES, framed.length - HEADER_BYTES);
            if (stored != actual) {
                throw new CorruptValueException(bucket.bucketName(), key, String.format(
                        "crc32c stored %08x, computed %08x", stored, actual));
            }
        }
        return Arrays.copyOfRange(framed, HEADER_BYTES, framed.length);
    }

    private static int crc(byte[] key, byte[] buf, int offset, int length) {
        CRC32C crc = new CRC32C();
        crc.update(key, 0, key.length);
        crc.update(buf, offset, length);
        return (int) crc.getValue();
    }
}
