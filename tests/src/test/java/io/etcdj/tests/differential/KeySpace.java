package io.etcdj.tests.differential;

import com.google.protobuf.ByteString;
import java.util.List;
import java.util.SplittableRandom;

/**
 * A small key space, so requests collide: keys share prefixes ({@code a}, {@code a/1}, …), one
 * key holds a zero byte and one a 0xff byte (the edges of prefix-end arithmetic), and ranges are
 * drawn in every shape etcd gives meaning to.
 */
final class KeySpace {

    private static final List<ByteString> KEYS = List.of(
            bytes("a"), bytes("a/1"), bytes("a/2"), bytes("a/3"), bytes("b"), bytes("b/1"),
            bytes("c"), bytes("d/x"), bytes("d/y"), bytes("e"),
            ByteString.copyFrom(new byte[] {'f', 0}), ByteString.copyFrom(new byte[] {'g', (byte) 0xff}));

    private static final List<ByteString> VALUES = List.of(
            bytes(""), bytes("v"), bytes("value"), bytes("x"), bytes("longer value with spaces"),
            ByteString.copyFrom(new byte[] {0, 1, 2, (byte) 0xfe}));

    /** etcd's "all keys" / "from key" marker for range_end (and, for key, "from the start"). */
    static final ByteString ZERO = ByteString.copyFrom(new byte[] {0});

    private final SplittableRandom random;

    KeySpace(SplittableRandom random) {
        this.random = random;
    }

    ByteString key() {
        return KEYS.get(random.nextInt(KEYS.size()));
    }

    ByteString value() {
        if (random.nextInt(8) == 0) {
            return bytes("v" + random.nextInt(1000));
        }
        return VALUES.get(random.nextInt(VALUES.size()));
    }

    /** A [key, range_end) pair; index 0 is the key, 1 the range end (empty = that key alone). */
    ByteString[] range() {
        ByteString key = key();
        int shape = random.nextInt(20);
        if (shape < 7) {
            return new ByteString[] {key, ByteString.EMPTY};
        } else if (shape < 11) {
            ByteString prefix = prefixOf(key);
            return new ByteString[] {prefix, prefixEnd(prefix)};
        } else if (shape < 13) {
            return new ByteString[] {key, ZERO};
        } else if (shape < 15) {
            return new ByteString[] {ZERO, ZERO};
        } else if (shape == 15) {
            // No key: etcd refuses with "key is not provided", whatever the range end.
            return new ByteString[] {ByteString.EMPTY, random.nextBoolean() ? ZERO : ByteString.EMPTY};
        }
        return new ByteString[] {key, key()};
    }

    /** "a/1" → "a/", "a" → "a", so prefix ranges cover several keys. */
    private ByteString prefixOf(ByteString key) {
        int slash = key.toStringUtf8().indexOf('/');
        return slash < 0 || random.nextBoolean() ? key : key.substring(0, slash + 1);
    }

    /** etcd's prefix end: the last byte below 0xff incremented, the rest dropped; all 0xff → "\0". */
    static ByteString prefixEnd(ByteString prefix) {
        byte[] end = prefix.toByteArray();
        for (int i = end.length - 1; i >= 0; i--) {
            if ((end[i] & 0xff) < 0xff) {
                end[i]++;
                return ByteString.copyFrom(end, 0, i + 1);
            }
        }
        return ZERO;
    }

    static ByteString bytes(String text) {
        return ByteString.copyFromUtf8(text);
    }
}
