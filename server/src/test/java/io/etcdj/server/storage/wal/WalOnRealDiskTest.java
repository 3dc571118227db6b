package io.etcdj.server.storage.wal;

import static io.etcdj.server.storage.wal.WalTesting.METADATA;
import static io.etcdj.server.storage.wal.WalTesting.entries;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.etcdj.pkg.fileutil.DirLockedException;
import io.etcdj.pkg.fileutil.PreallocationMode;
import io.etcdj.raft.Entry;
import io.etcdj.raft.HardState;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The same WAL on the real file system: preallocation ahead, cuts, locks, a real torn tail. */
class WalOnRealDiskTest {

    static final long SEGMENT_BYTES = 64 << 10;

    @TempDir
    Path dataDir;

    @Test
    void cutsWithPreallocatedSparesAndReplaysInBothPreallocationModes() throws IOException {
        for (PreallocationMode mode : PreallocationMode.values()) {
            Path dir = dataDir.resolve("member-" + mode + "/wal");
            WalOptions options = WalOptions.defaults().withPreallocationMode(mode).withSegmentSizeBytes(SEGMENT_BYTES);
            Random random = new Random(3);
            List<Entry> saved = new ArrayList<>();
            try (Wal wal = Wal.create(dir, METADATA, options)) {
                for (int i = 0; i < 100; i++) {
                    List<Entry> batch = entries(1, saved.size() + 1, 8, 256, random);
                    wal.save(new HardState(1, 1, saved.size()), batch);
                    saved.addAll(batch);
                }
                assertThat(wal.segments()).hasSizeGreaterThan(3);
                assertThatThrownBy(() -> Wal.open(dir, WalSnapshot.ZERO, options))
                        .isInstanceOf(DirLockedException.class);
            }
            assertThat(Files.size(dir.resolve("0000000000000000-0000000000000000.wal"))).isGreaterThanOrEqualTo(SEGMENT_BYTES);
            try (Wal wal = Wal.open(dir, WalSnapshot.ZERO, options)) {
                assertThat(wal.readAll().entries()).isEqualTo(saved);
            }
            try (var files = Files.list(dir)) {
                assertThat(files.map(p -> p.getFileName().toString())).noneMatch(n -> n.endsWith(".tmp"));
            }
        }
    }

    @Test
    void aRecordTornAtTheEndOfAnUnpreallocatedFileIsCutOff() throws IOException {
        Path dir = dataDir.resolve("wal");
        WalOptions options = WalOptions.defaults().withSegmentSizeBytes(SEGMENT_BYTES).withPreallocateAhead(false);
        List<Entry> saved = entries(1, 1, 20, 100, new Random(5));
        try (Wal wal = Wal.create(dir, METADATA, options)) {
            wal.save(new HardState(1, 1, 0), saved);
        }
        Path segment = dir.resolve("0000000000000000-0000000000000000.wal");
        byte[] content = Files.readAllBytes(segment);
        int end = Frames.endOfNonZero(content, 0, content.length);
        int lastRecordBytes = Frames.frameBytes(17 + 100);
        try (RandomAccessFile file = new RandomAccessFile(segment.toFile(), "rw")) {
            file.setLength(end - lastRecordBytes / 2); // the length field now points past EOF
        }
        try (Wal wal = Wal.open(dir, WalSnapshot.ZERO, options)) {
            assertThat(wal.readAll().entries()).isEqualTo(saved.subList(0, 19));
            wal.save(HardState.EMPTY, entries(1, 20, 1, 100, new Random(6)));
        }
        assertThat(Files.size(segment)).isEqualTo(SEGMENT_BYTES);
        try (Wal wal = Wal.open(dir, WalSnapshot.ZERO, options)) {
            assertThat(wal.readAll().entries()).hasSize(20);
        }
    }
}
