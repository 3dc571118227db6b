package io.etcdj.benchmarks.cli;

import com.google.protobuf.ByteString;
import java.util.SplittableRandom;

/**
 * Keys and values the way etcd's benchmark makes them, so both servers see the same load: a key
 * is {@code keySize} bytes, zero-filled, starting with the zig-zag varint of its number in
 * {@code [0, keySpaceSize)}; the value is one random byte string shared by every request.
 */
final class Keys {

    private final int keySize;
    private final int keySpaceSize;
    private final boolean sequential;

    Keys(int keySize, int keySpaceSize, boolean sequential) {
        if (keySize < 1 || keySize > 1 << 20) {
            throw new IllegalArgumentException("--key-size must be in [1, 1 MiB], got " + keySize);
        }
        if (keySpaceSize < 1) {
            throw new IllegalArgumentException("--key-space-size must be >= 1, got " + keySpaceSize);
        }
        this.keySize = keySize;
        this.keySpaceSize = keySpaceSize;
        this.sequential = sequential;
    }

    /** The key number request {@code seq} uses: {@code seq mod space} or uniform at random. */
    long numberFor(long seq, SplittableRandom random) {
        return sequential ? seq % keySpaceSize : random.nextInt(keySpaceSize);
    }

    int keySpaceSize() {
        return keySpaceSize;
    }

    ByteString key(long number) {
        byte[] k = new byte[keySize];
        // Zig-zag then base-128 little-endian groups, truncated if the key is shorter.
        long v = (number << 1) ^ (number >> 63);
        for (int i = 0; i < keySize; i++) {
            boolean more = (v & ~0x7FL) != 0;
            k[i] = (byte) ((v & 0x7F) | (more ? 0x80 : 0));
            v >>>= 7;
            if (!more) {
                break;
            }
        }
        return ByteString.copyFrom(k);
    }

    static ByteString randomValue(int size, long seed) {
        if (size < 0 || size > 64 << 20) {
            throw new IllegalArgumentException("--val-size must be in [0, 64 MiB], got " + size);
        }
        byte[] v = new byte[size];
        new SplittableRandom(seed).nextBytes(v);
        return ByteString.copyFrom(v);
    }
}
