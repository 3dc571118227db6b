package io.etcdj.server.storage.snap;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.etcdj.pkg.fileutil.FileUtil;
import io.etcdj.raft.ConfState;
import io.etcdj.raft.Snapshot;
import io.etcdj.raft.SnapshotMetadata;
import io.etcdj.server.storage.wal.WalSnapshot;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SnapshotterTest {

    @TempDir
    Path dir;

    private static Snapshot snapshot(long term, long index) {
        ConfState conf = new ConfState(List.of(1L, 2L, 3L), List.of(4L), List.of(), List.of(), false);
        return new Snapshot(("state@" + index).getBytes(StandardCharsets.UTF_8), new SnapshotMetadata(conf, index, term));
    }

    private static WalSnapshot marker(Snapshot s) {
        return new WalSnapshot(s.metadata().index(), s.metadata().term(), s.metadata().confState());
    }

    @Test
    void savesUnderTermIndexNameAndLoadsBackEqual() throws IOException {
        Snapshotter snapshotter = new Snapshotter(dir);
        Snapshot saved = snapshot(2, 0x1234);
        snapshotter.save(saved);
        snapshotter.save(Snapshot.EMPTY);
        assertThat(FileUtil.listBySuffix(dir, ".snap")).containsExactly("0000000000000002-0000000000001234.snap");
        assertThat(FileUtil.listBySuffix(dir, ".tmp")).isEmpty();
        assertThat(snapshotter.loadNewestAvailable(List.of(marker(saved)))).contains(saved);
    }

    @Test
    void loadsTheNewestFileTheWalVouchesForNotSimplyTheNewest() throws IOException {
        Snapshotter snapshotter = new Snapshotter(dir);
        Snapshot old = snapshot(1, 100);
        Snapshot newer = snapshot(2, 200);
        Snapshot unrecorded = snapshot(2, 300); // saved, but its WAL marker never became durable
        for (Snapshot s : List.of(old, newer, unrecorded)) {
            snapshotter.save(s);
        }
        assertThat(snapshotter.loadNewestAvailable(List.of(WalSnapshot.ZERO, marker(old), marker(newer))))
                .contains(newer);
        assertThat(snapshotter.loadNewestAvailable(List.of(WalSnapshot.ZERO))).isEmpty();
    }

    @Test
    void aDamagedFileIsRenamedBrokenAndTheNextOlderOneIsUsed() throws IOException {
        Snapshotter snapshotter = new Snapshotter(dir);
        Snapshot old = snapshot(1, 100);
        Snapshot newer = snapshot(2, 200);
        snapshotter.save(old);
        snapshotter.save(newer);
        Path newerFile = dir.resolve(Snapshotter.fileName(2, 200));
        byte[] bytes = Files.readAllBytes(newerFile);
        bytes[bytes.length - 1] ^= 1;
        Files.write(newerFile, bytes);

        assertThat(snapshotter.loadNewestAvailable(List.of(marker(old), marker(newer)))).contains(old);
        assertThat(FileUtil.listBySuffix(dir, ".broken")).containsExactly(newerFile.getFileName() + ".broken");
        assertThat(newerFile).doesNotExist();
    }

    @Test
    void everyBitFlipInASnapshotFileIsDetected() {
        byte[] good = SnapshotCodec.encode(snapshot(3, 77));
        assertThat(SnapshotCodec.decode(good)).isEqualTo(snapshot(3, 77));
        for (int offset = 0; offset < good.length; offset++) {
            byte[] bad = good.clone();
            bad[offset] ^= (byte) (1 << (offset % 8));
            int at = offset;
            assertThatThrownBy(() -> SnapshotCodec.decode(bad)).as("flip at %d", at)
                    .isInstanceOf(IllegalArgumentException.class);
        }
        // Negative control: a decoder that skips the CRC takes a flip in the data.
        byte[] flippedData = good.clone();
        flippedData[good.length - 1] ^= 1;
        assertThat(skipCrcDecode(flippedData)).isNotEqualTo(snapshot(3, 77));
    }

    /** The planted bug for the control: the real decoder with the CRC field patched to match. */
    private static Snapshot skipCrcDecode(byte[] file) {
        java.util.zip.CRC32C crc = new java.util.zip.CRC32C();
        crc.update(file, SnapshotCodec.HEADER_BYTES, file.length - SnapshotCodec.HEADER_BYTES);
        java.nio.ByteBuffer.wrap(file).order(java.nio.ByteOrder.LITTLE_ENDIAN).putInt(12, (int) crc.getValue());
        return SnapshotCodec.decode(file);
    }

    @Test
    void purgeKeepsTheNewestMaxSnapshotsFiles() throws IOException {
        Snapshotter snapshotter = new Snapshotter(dir);
        for (int i = 1; i <= 8; i++) {
            snapshotter.save(snapshot(1, i * 10L));
        }
        snapshotter.purge(Snapshotter.DEFAULT_MAX_SNAPSHOTS);
        assertThat(FileUtil.listBySuffix(dir, ".snap")).hasSize(5).first()
                .isEqualTo(Snapshotter.fileName(1, 40));
        snapshotter.purge(0);
        assertThat(FileUtil.listBySuffix(dir, ".snap")).hasSize(5);
    }

    @Test
    void receivedDatabasesAreStoredBoundedFoundAndReleased() throws IOException {
        Snapshotter snapshotter = new Snapshotter(dir);
        byte[] db = new byte[200_000];
        db[123] = 9;
        Path stored = snapshotter.saveDb(new ByteArrayInputStream(db), 0x50, 1 << 20);
        assertThat(stored.getFileName().toString()).isEqualTo("0000000000000050.snap.db");
        assertThat(Files.readAllBytes(stored)).isEqualTo(db);
        assertThat(snapshotter.findDb(0x50)).contains(stored);
        assertThat(snapshotter.findDb(0x51)).isEmpty();

        assertThatThrownBy(() -> snapshotter.saveDb(new ByteArrayInputStream(db), 0x60, 1000))
                .hasMessageContaining("over 1000 bytes");
        assertThat(snapshotter.findDb(0x60)).isEmpty();
        assertThat(FileUtil.listBySuffix(dir, ".tmp")).isEmpty();

        snapshotter.saveDb(new ByteArrayInputStream(db), 0x70, 1 << 20);
        snapshotter.releaseDbsBelow(0x70);
        assertThat(FileUtil.listBySuffix(dir, ".snap.db")).containsExactly("0000000000000070.snap.db");
    }
}
