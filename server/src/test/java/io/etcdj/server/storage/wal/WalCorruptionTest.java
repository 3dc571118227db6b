package io.etcdj.server.storage.wal;

import static io.etcdj.server.storage.wal.WalTesting.DIR;
import static io.etcdj.server.storage.wal.WalTesting.METADATA;
import static io.etcdj.server.storage.wal.WalTesting.entries;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.etcdj.raft.Entry;
import io.etcdj.raft.HardState;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.zip.CRC32C;
import org.junit.jupiter.api.Test;

/**
 * Start-up against damaged files, systematically: every single-bit flip in written data is
 * refused with file and offset; every prefix of an unsynced final write is repaired; a missing
 * segment or a cut-short middle segment is refused.
 */
class WalCorruptionTest {

    private SimulatedDisk disk;
    private WalOptions options;
    private List<Entry> acknowledged;
    /** Entry size for {@link #build}; 0 means small entries of growing size. */
    private int largeEntryBytes;

    /** A WAL of {@code batches} saves; returns the last segment's path. */
    private Path build(long segmentSizeBytes, int batches) throws IOException {
        disk = new SimulatedDisk();
        options = WalTesting.simOptions(disk).withSegmentSizeBytes(segmentSizeBytes);
        acknowledged = new ArrayList<>();
        Random random = new Random(42);
        try (Wal wal = Wal.create(DIR, METADATA, options)) {
            for (int b = 0; b < batches; b++) {
                int dataBytes = largeEntryBytes > 0 ? largeEntryBytes : 40 + 7 * b;
                List<Entry> batch = entries(1, acknowledged.size() + 1, 3, dataBytes, random);
                wal.save(new HardState(1, 1, acknowledged.size()), batch);
                acknowledged.addAll(batch);
            }
        }
        List<String> names = disk.list(DIR, ".wal");
        return DIR.resolve(names.getLast());
    }

    private ReadResult reopen() throws IOException {
        try (Wal wal = Wal.open(DIR, WalSnapshot.ZERO, options)) {
            return wal.readAll();
        }
    }

    /** Reads the WAL the way start-up would: the entries, or an exception if it refuses. */
    @FunctionalInterface
    interface Reader {
        List<Entry> read() throws IOException;
    }

    /** Offsets whose flip a reader refused, repaired (same entries back), or silently got wrong. */
    record FlipOutcomes(List<Integer> refused, List<Integer> repaired, List<Integer> silentlyWrong) {
    }

    /**
     * The checker: flips one bit at each offset up to 64 bytes past the data of {@code file} in a
     * freshly built WAL and sorts the offsets by what {@code reader} made of it. Start-up is safe
     * iff nothing is silently wrong; a refusal must name the file and an offset at or before the flip.
     */
    private FlipOutcomes flips(long segmentSizeBytes, int batches, boolean lastSegment, Reader reader)
            throws IOException {
        return flips(segmentSizeBytes, batches, lastSegment, 1, reader);
    }

    /** As above, flipping every {@code stride}-th byte (a stride coprime to 8 varies the bit too). */
    private FlipOutcomes flips(long segmentSizeBytes, int batches, boolean lastSegment, int stride, Reader reader)
            throws IOException {
        build(segmentSizeBytes, batches);
        List<String> names = disk.list(DIR, ".wal");
        Path file = DIR.resolve(lastSegment ? names.getLast() : names.getFirst());
        int to = Math.min(disk.contents(file).length, dataEnd(disk.contents(file)) + 64);
        FlipOutcomes outcomes = new FlipOutcomes(new ArrayList<>(), new ArrayList<>(), new ArrayList<>());
        for (int offset = 0; offset < to; offset += stride) {
            build(segmentSizeBytes, batches);
            disk.flipBit(file, offset, offset % 8);
            try {
                List<Entry> read = reader.read();
                (read.equals(acknowledged) ? outcomes.repaired() : outcomes.silentlyWrong()).add(offset);
            } catch (CorruptWalException e) {
                assertThat(e.file()).isEqualTo(file.toString());
                assertThat(e.offsetBytes()).as("reported offset for a flip at %d", offset).isLessThanOrEqualTo(offset);
                assertThat(e.getMessage()).contains(file.toString()).contains("offset " + e.offsetBytes());
                outcomes.refused().add(offset);
            }
        }
        return outcomes;
    }

    @Test
    void everyBitFlipInTheLastSegmentIsRefusedOrIsAHarmlessTornLookingTail() throws IOException {
        Path last = build(8192, 4);
        int dataEnd = dataEnd(disk.contents(last));
        FlipOutcomes outcomes = flips(8192, 4, true, () -> reopen().entries());
        assertThat(outcomes.silentlyWrong()).isEmpty();
        assertThat(outcomes.refused()).hasSize(dataEnd);
        // A flip in the zeros after the data is what an unsynced write looks like (torn, or
        // persisted out of order): it is cut off, and no acknowledged record is lost.
        assertThat(outcomes.repaired()).hasSize(64).allMatch(o -> o >= dataEnd);
    }

    @Test
    void everyBitFlipInAnEarlierSegmentIsRefused() throws IOException {
        FlipOutcomes outcomes = flips(2048, 12, false, () -> reopen().entries());
        assertThat(outcomes.silentlyWrong()).isEmpty();
        assertThat(outcomes.repaired()).isEmpty();
    }

    @Test
    void negativeControlAReaderThatIgnoresTheChainedCrcIsCaught() throws IOException {
        // The same checker against a planted bug: frames walked and checked, record CRCs not.
        Reader ignoresCrc = () -> {
            List<Entry> entries = new ArrayList<>();
            for (String name : disk.list(DIR, ".wal")) {
                byte[] content = disk.contents(DIR.resolve(name));
                int offset = 0;
                int previousCrc = 0;
                while (Frames.decode(content, offset, content.length, 1 << 20, new CRC32C())
                        instanceof Frames.Frame frame) {
                    if (frame.type() == RecordType.ENTRY) {
                        entries.add(Payloads.readEntry(Frames.payload(content, frame, previousCrc)));
                    }
                    previousCrc = frame.crc();
                    offset = frame.endOffset();
                }
            }
            return entries;
        };
        assertThat(flips(8192, 4, true, ignoresCrc).silentlyWrong()).hasSizeGreaterThan(100);
    }

    @Test
    void everyPrefixOfAnUnsyncedFinalWriteIsCutOffAndAppendsContinue() throws IOException {
        Path last = build(8192, 3);
        byte[] synced = disk.contents(last);
        int syncedEnd = dataEnd(synced);
        // The bytes one more save would have written (a 4-entry batch and a hard state).
        List<Entry> unsynced = entries(1, acknowledged.size() + 1, 4, 90, new Random(9));
        try (Wal wal = Wal.open(DIR, WalSnapshot.ZERO, options)) {
            wal.readAll();
            wal.save(new HardState(1, 1, 9), unsynced);
        }
        byte[] full = disk.contents(last);
        int fullEnd = dataEnd(full);
        // Capture the WAL's log (and keep ~600 warnings off the console): each cut is reported.
        ch.qos.logback.classic.Logger log = (ch.qos.logback.classic.Logger) org.slf4j.LoggerFactory.getLogger(Wal.class);
        ch.qos.logback.core.read.ListAppender<ch.qos.logback.classic.spi.ILoggingEvent> captured =
                new ch.qos.logback.core.read.ListAppender<>();
        captured.start();
        log.addAppender(captured);
        log.setAdditive(false);
        try {
            checkEveryPrefix(last, full, syncedEnd, fullEnd, unsynced, captured.list);
        } finally {
            log.detachAppender(captured);
            log.setAdditive(true);
        }
    }

    private void checkEveryPrefix(Path last, byte[] full, int syncedEnd, int fullEnd, List<Entry> unsynced,
            List<ch.qos.logback.classic.spi.ILoggingEvent> logged) throws IOException {
        for (int kept = 0; kept <= fullEnd - syncedEnd; kept++) {
            logged.clear();
            build(8192, 3);
            byte[] prefix = java.util.Arrays.copyOfRange(full, syncedEnd, syncedEnd + kept);
            disk.overwrite(last, syncedEnd, prefix);
            ReadResult read = reopen();
            List<Entry> recovered = read.entries();
            assertThat(recovered.subList(0, acknowledged.size())).as("prefix %d", kept).isEqualTo(acknowledged);
            assertThat(recovered.subList(acknowledged.size(), recovered.size()))
                    .isEqualTo(unsynced.subList(0, recovered.size() - acknowledged.size()));
            List<Integer> boundaries = new ArrayList<>(frameStarts(full));
            boundaries.add(fullEnd);
            if (boundaries.contains(syncedEnd + kept)) {
                assertThat(logged).as("prefix %d ends on a frame boundary: nothing torn", kept).isEmpty();
            } else {
                String expectedOffset = "at offset " + frameStartBefore(boundaries, syncedEnd + kept);
                assertThat(logged).as("prefix %d", kept).singleElement().satisfies(e -> assertThat(
                        e.getFormattedMessage()).contains("torn final record in " + last).contains(expectedOffset));
            }
            // Repaired durably: a save and a clean reopen follow.
            try (Wal wal = Wal.open(DIR, WalSnapshot.ZERO, options)) {
                wal.readAll();
                wal.save(HardState.EMPTY, entries(2, recovered.size() + 1, 1, 5, new Random(1)));
            }
            assertThat(reopen().entries()).hasSize(recovered.size() + 1);
        }
    }

    @Test
    void aMissingSegmentIsRefusedNamingTheOneAfterTheGap() throws IOException {
        build(2048, 12);
        List<String> names = disk.list(DIR, ".wal");
        assertThat(names).hasSizeGreaterThanOrEqualTo(3);
        disk.delete(DIR.resolve(names.get(1)));
        assertThatThrownBy(this::reopen).isInstanceOf(CorruptWalException.class)
                .hasMessageContaining(names.get(2)).hasMessageContaining("sequence 1 is missing");
    }

    @Test
    void aMiddleSegmentCutShortBreaksTheChainAtTheNextOne() throws IOException {
        build(2048, 12);
        List<String> names = disk.list(DIR, ".wal");
        Path middle = DIR.resolve(names.get(1));
        byte[] content = disk.contents(middle);
        List<Integer> starts = frameStarts(content);
        int lastStart = starts.getLast();
        disk.overwrite(middle, lastStart, new byte[dataEnd(content) - lastStart]);
        assertThatThrownBy(this::reopen).isInstanceOf(CorruptWalException.class)
                .hasMessageContaining(names.get(2)).hasMessageContaining("crc chain broken");
    }

    @Test
    void garbageAfterTheLastRecordIsCutOffButNotInAnEarlierSegment() throws IOException {
        Path last = build(8192, 3);
        int end = dataEnd(disk.contents(last));
        disk.overwrite(last, end + 4096, new byte[] {1, 2, 3});
        assertThat(reopen().entries()).isEqualTo(acknowledged);
        assertThat(dataEnd(disk.contents(last))).isEqualTo(end);

        build(2048, 12);
        Path first = DIR.resolve(disk.list(DIR, ".wal").getFirst());
        byte[] content = disk.contents(first);
        int lastStart = frameStarts(content).getLast();
        disk.overwrite(first, lastStart, new byte[Frames.HEADER_BYTES]); // a zero header, data after it
        assertThatThrownBy(this::reopen).isInstanceOf(CorruptWalException.class)
                .hasMessageContaining("offset " + lastStart).hasMessageContaining("not the last segment");
    }

    @Test
    void aFinalFrameWithAnUnwrittenTrailerIsCutOffEvenWithDataAfterIt() throws IOException {
        // Out-of-order writeback: the frame's last sector is lost, a later one persisted.
        Path last = build(8192, 3);
        byte[] content = disk.contents(last);
        List<Integer> starts = frameStarts(content);
        int lastStart = starts.getLast();
        int end = dataEnd(content);
        disk.overwrite(last, end - Frames.TRAILER_BYTES, new byte[Frames.TRAILER_BYTES]);
        disk.overwrite(last, end + 1024, new byte[] {9});
        List<Entry> recovered = reopen().entries();
        assertThat(acknowledged).startsWith(recovered.toArray(Entry[]::new));
        assertThat(dataEnd(disk.contents(last))).isEqualTo(lastStart);
    }

    @Test
    void aNamedSegmentWhoseFirstRecordLooksTornIsRefused() throws IOException {
        // Its first records were synced before it got its name, so this is damage, and cutting
        // at offset 0 would leave a segment without its CRC record.
        Path last = build(8192, 0);
        disk.overwrite(last, 8, new byte[8]); // the CRC record's second header word
        assertThatThrownBy(this::reopen).isInstanceOf(CorruptWalException.class)
                .hasMessageContaining("offset 0").hasMessageContaining("in the first record");
    }

    @Test
    void withEntriesSpanningSectorsEveryFlipIsStillRefused() throws IOException {
        largeEntryBytes = 1500; // whole 512-byte sectors inside payloads: the zero-sector rule is live
        FlipOutcomes outcomes = flips(1 << 15, 3, true, 7, () -> reopen().entries());
        int dataEnd = dataEnd(disk.contents(DIR.resolve(disk.list(DIR, ".wal").getLast())));
        assertThat(outcomes.silentlyWrong()).isEmpty();
        assertThat(outcomes.repaired()).allMatch(o -> o >= dataEnd);
        assertThat(outcomes.refused()).hasSize((dataEnd + 6) / 7);
    }

    @Test
    void aFinalFrameMissingAMiddleSectorIsCutOffEvenWithDataAfterIt() throws IOException {
        largeEntryBytes = 1500;
        Path last = build(1 << 15, 3);
        byte[] content = disk.contents(last);
        int lastEntryStart = frameStarts(content).get(frameStarts(content).size() - 2); // before the hard state
        int sector = (lastEntryStart / 512 + 2) * 512;
        disk.overwrite(last, sector, new byte[512]);
        List<Entry> recovered = reopen().entries();
        assertThat(recovered).isEqualTo(acknowledged.subList(0, acknowledged.size() - 1));
        assertThat(dataEnd(disk.contents(last))).isEqualTo(lastEntryStart);
    }

    /** Offsets of the frames in a segment, walking the format as the reader does. */
    static List<Integer> frameStarts(byte[] content) {
        List<Integer> starts = new ArrayList<>();
        int offset = 0;
        CRC32C crc = new CRC32C();
        while (Frames.decode(content, offset, content.length, 1 << 20, crc) instanceof Frames.Frame frame) {
            starts.add(offset);
            offset = frame.endOffset();
        }
        return starts;
    }

    private static int frameStartBefore(List<Integer> boundaries, int offset) {
        return boundaries.stream().filter(b -> b < offset).max(Integer::compare).orElseThrow();
    }

    static int dataEnd(byte[] content) {
        return Frames.endOfNonZero(content, 0, content.length);
    }
}
