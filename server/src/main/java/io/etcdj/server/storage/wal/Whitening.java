package io.etcdj.server.storage.wal;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * XORs record payloads with a keystream seeded by the previous record's chained CRC, so that a
 * written payload is, in practice, never a run of zeros — whatever the data (entry values full of
 * zeros are common). That makes an all-zero sector inside a frame proof that the sector never
 * reached the disk (docs/wal.md §5). Not secrecy: the stream is SplitMix64 from the seed. Seeding
 * with the chained CRC means no client can choose data that whitens to zeros in advance.
 */
final class Whitening {

    private static final long GOLDEN_GAMMA = 0x9E3779B97F4A7C15L;

    private Whitening() {
    }

    /** XORs {@code length} bytes of {@code buffer} from absolute index {@code from}; self-inverse. */
    static void apply(ByteBuffer buffer, int from, int length, int seed) {
        ByteBuffer le = buffer.duplicate().order(ByteOrder.LITTLE_ENDIAN);
        long state = seed * GOLDEN_GAMMA;
        int i = 0;
        for (; i + Long.BYTES <= length; i += Long.BYTES) {
            state += GOLDEN_GAMMA;
            le.putLong(from + i, le.getLong(from + i) ^ mix(state));
        }
        if (i < length) {
            state += GOLDEN_GAMMA;
            long key = mix(state);
            for (; i < length; i++, key >>>= 8) {
                le.put(from + i, (byte) (le.get(from + i) ^ key));
            }
        }
    }

    private static long mix(long z) {
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }
}
