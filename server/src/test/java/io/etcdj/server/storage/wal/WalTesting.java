package io.etcdj.server.storage.wal;

import io.etcdj.raft.Entry;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/** Shared helpers for the WAL tests: small segments on a simulated disk, entry factories. */
final class WalTesting {

    static final Path DIR = Path.of("/sim/member/wal");
    static final byte[] METADATA = {0x12, 0x34, 0x56, 0x78};
    static final long SMALL_SEGMENT_BYTES = 4096;

    private WalTesting() {
    }

    static WalOptions simOptions(SimulatedDisk disk) {
        return WalOptions.defaults().withDisk(disk).withSegmentSizeBytes(SMALL_SEGMENT_BYTES).withPreallocateAhead(false);
    }

    static Entry entry(long term, long index, int dataBytes, Random random) {
        byte[] data = new byte[dataBytes];
        random.nextBytes(data);
        return Entry.of(term, index, data);
    }

    static List<Entry> entries(long term, long firstIndex, int count, int dataBytes, Random random) {
        List<Entry> batch = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            batch.add(entry(term, firstIndex + i, dataBytes, random));
        }
        return batch;
    }
}
