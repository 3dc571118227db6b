package io.etcdj.server.storage.wal;

import static io.etcdj.server.storage.wal.WalTesting.DIR;
import static io.etcdj.server.storage.wal.WalTesting.METADATA;
import static io.etcdj.server.storage.wal.WalTesting.entries;
import static io.etcdj.server.storage.wal.WalTesting.simOptions;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.etcdj.pkg.fileutil.DirLockedException;
import io.etcdj.raft.ConfState;
import io.etcdj.raft.Entry;
import io.etcdj.raft.HardState;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class WalTest {

    private final SimulatedDisk disk = new SimulatedDisk();
    private final WalOptions options = simOptions(disk);
    private final Random random = new Random(7);

    @Test
    void reopenReturnsMetadataLastHardStateAndEntries() throws IOException {
        List<Entry> saved = entries(1, 1, 5, 100, random);
        try (Wal wal = Wal.create(DIR, METADATA, options)) {
            wal.save(new HardState(1, 1, 0), saved.subList(0, 3));
            wal.save(new HardState(1, 1, 3), saved.subList(3, 5));
        }
        try (Wal wal = Wal.open(DIR, WalSnapshot.ZERO, options)) {
            ReadResult read = wal.readAll();
            assertThat(read.metadata()).containsExactly(METADATA);
            assertThat(read.hardState()).isEqualTo(new HardState(1, 1, 3));
            assertThat(read.entries()).containsExactlyElementsOf(saved);
            assertThat(wal.lastIndex()).isEqualTo(5);
        }
    }

    @Test
    void laterEntriesReplaceConflictingOnesAndEverythingAfterThem() throws IOException {
        List<Entry> first = entries(1, 1, 5, 10, random);
        List<Entry> rewrite = entries(2, 3, 2, 10, random);
        try (Wal wal = Wal.create(DIR, METADATA, options)) {
            wal.save(new HardState(1, 0, 0), first);
            wal.save(new HardState(2, 0, 0), rewrite);
            assertThat(wal.lastIndex()).isEqualTo(4);
        }
        try (Wal wal = Wal.open(DIR, WalSnapshot.ZERO, options)) {
            assertThat(wal.readAll().entries()).containsExactly(first.get(0), first.get(1), rewrite.get(0), rewrite.get(1));
        }
    }

    @Test
    void cutsSegmentsNamedBySequenceAndFirstIndexAndReplaysAcrossThem() throws IOException {
        List<Entry> saved = new ArrayList<>();
        try (Wal wal = Wal.create(DIR, METADATA, options)) {
            for (int i = 0; i < 40; i++) {
                List<Entry> batch = entries(1, saved.size() + 1, 3, 200, random);
                wal.save(new HardState(1, 1, saved.size()), batch);
                saved.addAll(batch);
            }
            assertThat(wal.segments()).hasSizeGreaterThan(5);
        }
        List<String> names = disk.list(DIR, ".wal");
        assertThat(names.get(0)).isEqualTo("0000000000000000-0000000000000000.wal");
        assertThat(names.get(1)).startsWith("0000000000000001-");
        assertThat(disk.list(DIR, ".tmp")).isEmpty();
        try (Wal wal = Wal.open(DIR, WalSnapshot.ZERO, options)) {
            ReadResult read = wal.readAll();
            assertThat(read.entries()).containsExactlyElementsOf(saved);
            assertThat(read.hardState()).isEqualTo(new HardState(1, 1, saved.size() - 3));
            // Appending after replay continues the chain: reopen once more.
            wal.save(HardState.EMPTY, entries(1, saved.size() + 1, 1, 10, random));
        }
        try (Wal wal = Wal.open(DIR, WalSnapshot.ZERO, options)) {
            assertThat(wal.readAll().entries()).hasSize(saved.size() + 1);
        }
    }

    @Test
    void openAtSnapshotReturnsOnlyEntriesAfterItsMarker() throws IOException {
        List<Entry> saved = entries(1, 1, 60, 100, random);
        WalSnapshot marker = new WalSnapshot(40, 1, ConfState.ofVoters(1L, 2L, 3L));
        try (Wal wal = Wal.create(DIR, METADATA, options)) {
            wal.save(new HardState(1, 1, 50), saved.subList(0, 50));
            wal.saveSnapshot(marker);
            wal.save(new HardState(1, 1, 60), saved.subList(50, 60));
        }
        try (Wal wal = Wal.open(DIR, marker, options)) {
            assertThat(wal.readAll().entries()).containsExactlyElementsOf(saved.subList(40, 60));
        }
        assertThat(Wal.validSnapshotEntries(DIR, options)).containsExactly(WalSnapshot.ZERO, marker);
    }

    @Test
    void aSnapshotWhoseMarkerIsMissingOrHasAnotherTermIsRefused() throws IOException {
        try (Wal wal = Wal.create(DIR, METADATA, options)) {
            wal.save(new HardState(1, 1, 10), entries(1, 1, 10, 10, random));
            wal.saveSnapshot(new WalSnapshot(5, 1, ConfState.EMPTY));
        }
        assertThatThrownBy(() -> openAndRead(new WalSnapshot(7, 1, ConfState.EMPTY)))
                .isInstanceOf(CorruptWalException.class)
                .hasMessageContaining("0000000000000000-0000000000000000.wal")
                .hasMessageContaining("snapshot marker index 7 term 1 not found");
        assertThatThrownBy(() -> openAndRead(new WalSnapshot(5, 2, ConfState.EMPTY)))
                .isInstanceOf(CorruptWalException.class)
                .hasMessageContaining("has term 1, the snapshot has term 2");
        openAndRead(new WalSnapshot(5, 1, ConfState.EMPTY));
    }

    @Test
    void validSnapshotEntriesKeepsOnlyMarkersAtOrBelowTheCommitIndex() throws IOException {
        try (Wal wal = Wal.create(DIR, METADATA, options)) {
            wal.save(new HardState(1, 1, 5), entries(1, 1, 10, 10, random));
            wal.saveSnapshot(new WalSnapshot(5, 1, ConfState.EMPTY));
            wal.saveSnapshot(new WalSnapshot(8, 1, ConfState.EMPTY));
        }
        assertThat(Wal.validSnapshotEntries(DIR, options)).extracting(WalSnapshot::index).containsExactly(0L, 5L);
    }

    @Test
    void oneFsyncPerSaveAndNoneForACommitOnlyChange() throws IOException {
        try (Wal wal = Wal.create(DIR, METADATA, options.withSegmentSizeBytes(1 << 20))) {
            long before = disk.forceCount();
            wal.save(new HardState(1, 1, 0), entries(1, 1, 200, 64, random));
            assertThat(disk.forceCount() - before).as("group commit: one fsync for 200 entries").isEqualTo(1);
            wal.save(new HardState(1, 1, 150), List.of());
            assertThat(disk.forceCount() - before).as("commit index alone is not forced").isEqualTo(1);
            wal.save(new HardState(2, 0, 150), List.of());
            assertThat(disk.forceCount() - before).as("a new term is forced").isEqualTo(2);
            wal.save(HardState.EMPTY, List.of());
            assertThat(disk.forceCount() - before).as("an empty Ready writes nothing").isEqualTo(2);
        }
    }

    @Test
    void metricsSeeEveryFsyncAndByte() throws IOException {
        AtomicLong fsyncs = new AtomicLong();
        AtomicLong bytes = new AtomicLong();
        WalMetrics metrics = new WalMetrics() {
            @Override
            public void fsyncCompleted(long durationNanos) {
                assertThat(durationNanos).isNotNegative();
                fsyncs.incrementAndGet();
            }

            @Override
            public void bytesWritten(long count) {
                bytes.addAndGet(count);
            }
        };
        try (Wal wal = Wal.create(DIR, METADATA, options.withSegmentSizeBytes(1 << 20).withMetrics(metrics))) {
            fsyncs.set(0);
            bytes.set(0);
            wal.save(new HardState(1, 1, 0), entries(1, 1, 4, 100, random));
        }
        // 4 entries: 16 header + 117 payload + 3 pad + 8 trailer; hard state: 16 + 24 + 8.
        assertThat(bytes.get()).isEqualTo(4 * 144 + 48);
        assertThat(fsyncs.get()).isEqualTo(2); // the save, and close()
    }

    @Test
    void aGapOrAnOversizedRecordIsRejectedAndWritesNothing() throws IOException {
        try (Wal wal = Wal.create(DIR, METADATA, options.withMaxRecordBytes(1000))) {
            wal.save(HardState.EMPTY, entries(1, 1, 2, 10, random));
            assertThatThrownBy(() -> wal.save(HardState.EMPTY, entries(1, 4, 1, 10, random)))
                    .hasMessageContaining("entries start at 4 but last index is 2");
            assertThatThrownBy(() -> wal.save(HardState.EMPTY, entries(1, 3, 1, 2000, random)))
                    .hasMessageContaining("over maxRecordBytes 1000");
            wal.save(HardState.EMPTY, entries(1, 3, 1, 10, random));
        }
        try (Wal wal = Wal.open(DIR, WalSnapshot.ZERO, options)) {
            assertThat(wal.readAll().entries()).extracting(Entry::index).containsExactly(1L, 2L, 3L);
        }
    }

    @Test
    void theDirectoryIsLockedWhileOpenAndCreateRefusesAnExistingWal() throws IOException {
        try (Wal wal = Wal.create(DIR, METADATA, options)) {
            assertThatThrownBy(() -> Wal.open(DIR, WalSnapshot.ZERO, options)).isInstanceOf(DirLockedException.class)
                    .hasMessageContaining(DIR.toString());
        }
        assertThatThrownBy(() -> Wal.create(DIR, METADATA, options)).hasMessageContaining("already holds a WAL");
        openAndRead(WalSnapshot.ZERO);
    }

    @Test
    void releasedSegmentsBeyondMaxWalsAreDeletedOldestFirstAndNeverUnreleasedOnes() throws IOException {
        try (Wal wal = Wal.create(DIR, METADATA, options.withMaxWals(3))) {
            for (int i = 0; i < 30; i++) {
                wal.save(new HardState(1, 1, i * 4), entries(1, i * 4L + 1, 4, 200, random));
            }
            List<SegmentName> before = wal.segments();
            assertThat(before).hasSizeGreaterThan(6);
            wal.releaseLockTo(0);
            assertThat(wal.segments()).as("nothing released yet").isEqualTo(before);
            long index = before.get(4).firstIndex();
            wal.releaseLockTo(index);
            // Released: segments 0..2 (before the one preceding the first starting at index); the
            // rest stay, so more than maxWals files may remain.
            assertThat(wal.segments()).isEqualTo(before.subList(3, before.size()));
            wal.save(new HardState(1, 1, 120), List.of()); // commit-only: written, forced by the marker
            wal.saveSnapshot(new WalSnapshot(wal.lastIndex(), 1, ConfState.EMPTY));
            wal.releaseLockTo(wal.lastIndex());
            assertThat(wal.segments()).isEqualTo(before.subList(before.size() - 3, before.size()));
        }
        assertThat(disk.list(DIR, ".wal")).hasSize(3);
        // The oldest segments are gone: inspection reads what is left, replay starts at the marker.
        assertThat(Wal.validSnapshotEntries(DIR, options)).extracting(WalSnapshot::index).containsExactly(120L);
        assertThatThrownBy(() -> openAndRead(WalSnapshot.ZERO)).isInstanceOf(CorruptWalException.class)
                .hasMessageContaining("no segment starts at or before snapshot index 0");
        assertThat(openAndRead(new WalSnapshot(120, 1, ConfState.EMPTY)).entries()).isEmpty();
    }

    @Test
    void afterAFailedWriteTheWalRefusesEveryCall() throws IOException {
        try (Wal wal = Wal.create(DIR, METADATA, options)) {
            disk.crashLosingAllUnsynced(); // the handles die: the next write fails
            assertThatThrownBy(() -> wal.save(HardState.EMPTY, entries(1, 1, 1, 10, random)))
                    .isInstanceOf(IOException.class);
            assertThatThrownBy(() -> wal.save(HardState.EMPTY, entries(1, 1, 1, 10, random)))
                    .isInstanceOf(IllegalStateException.class).hasMessageContaining("FAILED");
        }
        assertThat(openAndRead(WalSnapshot.ZERO).entries()).isEmpty();
    }

    private ReadResult openAndRead(WalSnapshot snapshot) throws IOException {
        try (Wal wal = Wal.open(DIR, snapshot, options)) {
            return wal.readAll();
        }
    }
}
