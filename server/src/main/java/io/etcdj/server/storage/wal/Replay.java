package io.etcdj.server.storage.wal;

import io.etcdj.raft.Entry;
import io.etcdj.raft.HardState;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Reads segments in order from the one that covers the snapshot marker, rebuilding what raft
 * needs: metadata (identical in every segment), the last hard state, the entries after the marker
 * with later writes replacing conflicting earlier ones, and every marker seen (for
 * {@link Wal#validSnapshotEntries}). Verifies the marker the caller named is present.
 */
final class Replay implements SegmentScanner.Visitor {

    /** What replay found, and where the last segment's records end for the writer. */
    record Result(byte[] metadata, HardState hardState, List<Entry> entries, List<WalSnapshot> markers,
            SegmentScanner.Outcome lastOutcome) {
    }

    private final WalSnapshot start;
    /** False when only markers and state are wanted: older segments may have been purged. */
    private final boolean collectEntries;
    private final List<Entry> entries = new ArrayList<>();
    private final List<WalSnapshot> markers = new ArrayList<>();
    private byte[] metadata;
    private HardState hardState = HardState.EMPTY;
    private boolean startFound;
    private String currentFile;

    private Replay(WalSnapshot start, boolean collectEntries) {
        this.start = start;
        this.collectEntries = collectEntries;
    }

    /**
     * @param inspectOnly collect markers and state only, and do not require the {@code start}
     *     marker (read-only inspection from the oldest segment still present)
     */
    static Result run(Disk disk, Path dir, List<SegmentName> segments, WalSnapshot start, boolean inspectOnly,
            int maxRecordBytes) throws IOException {
        Replay replay = new Replay(start, !inspectOnly);
        Integer chain = null;
        SegmentScanner.Outcome outcome = null;
        for (int i = 0; i < segments.size(); i++) {
            replay.currentFile = dir.resolve(segments.get(i).fileName()).toString();
            byte[] content = readWhole(disk, dir.resolve(segments.get(i).fileName()));
            outcome = SegmentScanner.scan(replay.currentFile, content, content.length, i == segments.size() - 1,
                    chain, maxRecordBytes, replay);
            chain = outcome.crc();
        }
        String firstFile = dir.resolve(segments.get(0).fileName()).toString();
        if (replay.metadata == null) {
            throw new CorruptWalException(firstFile, 0, "no metadata record");
        }
        if (!inspectOnly && !replay.startFound) {
            throw new CorruptWalException(firstFile, 0, "snapshot marker index " + start.index() + " term "
                    + start.term() + " not found in this segment or any later one");
        }
        return new Result(replay.metadata, replay.hardState, replay.entries, replay.markers, outcome);
    }

    @Override
    public void record(RecordType type, ByteBuffer payload, long offset) throws CorruptWalException {
        switch (type) {
            case CRC -> {
                // Checked by the scanner: it restarts the chain at each segment.
            }
            case METADATA -> {
                byte[] bytes = new byte[payload.remaining()];
                payload.get(bytes);
                if (metadata != null && !Arrays.equals(metadata, bytes)) {
                    throw new CorruptWalException(currentFile, offset, "metadata differs from the earlier segments'");
                }
                metadata = bytes;
            }
            case HARD_STATE -> hardState = Payloads.readHardState(payload);
            case SNAPSHOT -> snapshot(Payloads.readSnapshot(payload), offset);
            case ENTRY -> entry(Payloads.readEntry(payload), offset);
        }
    }

    private void snapshot(WalSnapshot marker, long offset) throws CorruptWalException {
        markers.add(marker);
        if (marker.index() == start.index()) {
            if (marker.term() != start.term()) {
                throw new CorruptWalException(currentFile, offset, "snapshot marker at index " + marker.index()
                        + " has term " + marker.term() + ", the snapshot has term " + start.term());
            }
            startFound = true;
        }
    }

    private void entry(Entry entry, long offset) throws CorruptWalException {
        if (!collectEntries || entry.index() <= start.index()) {
            return; // covered by the snapshot
        }
        long position = entry.index() - start.index() - 1;
        if (position > entries.size()) {
            throw new CorruptWalException(currentFile, offset, "entry index " + entry.index()
                    + " leaves a gap after index " + (start.index() + entries.size()));
        }
        // Raft overwrote the log from here on: drop the superseded suffix.
        entries.subList((int) position, entries.size()).clear();
        entries.add(entry);
    }

    static byte[] readWhole(Disk disk, Path file) throws IOException {
        try (Disk.DiskFile handle = disk.open(file, false)) {
            long size = handle.sizeBytes();
            if (size > Integer.MAX_VALUE - 8) {
                throw new CorruptWalException(file.toString(), 0, "segment of " + size + " bytes is too large");
            }
            byte[] content = new byte[(int) size];
            handle.read(0, content, 0, content.length);
            return content;
        }
    }
}
