package io.etcdj.server.storage.wal;

import java.nio.ByteBuffer;
import java.util.zip.CRC32C;

/**
 * Reads one segment's records, checking frame, chain and payload, and decides where its data
 * ends. The rule that separates a torn write from damage (docs/wal.md, "Torn or corrupt"): only
 * the last segment may end in a torn record, and only with evidence that the failing frame was
 * never synced: everything non-zero from its start to the end of the file lies inside the part
 * written before its trailer (a torn prefix), or the frame has an all-zero word where a written
 * frame never has one (later sectors persisted before it). A frame that is on disk whole and
 * fails its CRC is damage, refused.
 */
final class SegmentScanner {

    /** Receives each verified record; may reject it (a gap, a conflicting marker). */
    interface Visitor {
        void record(RecordType type, ByteBuffer payload, long offsetBytes) throws CorruptWalException;
    }

    /**
     * Where the records of a segment end and the running CRC there. {@code tornProblem} is
     * non-null when a torn final record of {@code tornBytes} non-zero bytes follows {@code
     * endOffset} and must be cut off before appending.
     */
    record Outcome(int endOffset, int crc, String tornProblem, int tornBytes) {
    }

    /** The unit a disk persists whole (or not at all) when writes reach it out of order. */
    static final int SECTOR_BYTES = 512;

    private SegmentScanner() {
    }

    /**
     * @param expectedChainStart the running CRC the previous segment ended with, or null for the
     *     first segment read (whose CRC record starts the chain)
     */
    static Outcome scan(String file, byte[] content, int sizeBytes, boolean lastSegment, Integer expectedChainStart,
            int maxRecordBytes, Visitor visitor) throws CorruptWalException {
        CRC32C crc32c = new CRC32C();
        int offset = 0;
        int crc = 0;
        boolean first = true;
        while (offset < sizeBytes) {
            Frames.Decoded decoded = Frames.decode(content, offset, sizeBytes, maxRecordBytes, crc32c);
            if (decoded instanceof Frames.EndOfData) {
                break;
            }
            if (decoded instanceof Frames.Damage damage) {
                if (first) {
                    // A segment is named only after its first records are synced: never torn.
                    throw new CorruptWalException(file, offset, damage.problem() + " in the first record");
                }
                return tornOrCorrupt(file, content, sizeBytes, lastSegment, offset, crc, damage);
            }
            Frames.Frame frame = (Frames.Frame) decoded;
            ByteBuffer payload = Frames.payload(content, frame, crc);
            if (first != (frame.type() == RecordType.CRC)) {
                throw new CorruptWalException(file, offset, first ? "segment does not begin with a crc record"
                        : "crc record in the middle of a segment");
            }
            int seed = first ? payload.getInt(0) : crc;
            if (first && expectedChainStart != null && seed != expectedChainStart) {
                throw new CorruptWalException(file, offset, String.format(
                        "crc chain broken between segments: previous segment ended at %08x, this one starts from %08x",
                        expectedChainStart, seed));
            }
            if (Frames.chain(crc32c, seed, frame.type().code, payload.duplicate()) != frame.crc()) {
                if (first) {
                    throw new CorruptWalException(file, offset, "crc mismatch in the first record");
                }
                return tornOrCorrupt(file, content, sizeBytes, lastSegment, offset, crc,
                        new Frames.Damage("crc mismatch", frame.endOffset()));
            }
            deliver(file, visitor, frame.type(), payload, offset);
            crc = frame.crc();
            first = false;
            offset = frame.endOffset();
        }
        if (first) {
            throw new CorruptWalException(file, 0, "segment holds no records");
        }
        int nonZeroEnd = Frames.endOfNonZero(content, offset, sizeBytes);
        if (nonZeroEnd > offset) {
            // Records stop at a zero header, yet later bytes are written. In the last segment
            // that is an unsynced write whose later sectors reached the disk before this one (a
            // synced frame never has a zero header); anywhere else it is damage.
            if (!lastSegment) {
                throw new CorruptWalException(file, offset, "records end here but non-zero data follows up to offset "
                        + nonZeroEnd + " (not the last segment)");
            }
            return new Outcome(offset, crc, "records end at a zero header but unsynced data follows", nonZeroEnd - offset);
        }
        return new Outcome(offset, crc, null, 0);
    }

    private static void deliver(String file, Visitor visitor, RecordType type, ByteBuffer payload, long offset)
            throws CorruptWalException {
        try {
            visitor.record(type, payload, offset);
        } catch (RuntimeException e) {
            // The CRC matched, so the writer produced these bytes: a decoding failure is a format bug
            // or damage that collided with the CRC; either way, not something to replay past.
            throw new CorruptWalException(file, offset, "undecodable " + type + " record: " + e);
        }
    }

    private static Outcome tornOrCorrupt(String file, byte[] content, int sizeBytes, boolean lastSegment, int offset,
            int crc, Frames.Damage damage) throws CorruptWalException {
        if (!lastSegment) {
            throw new CorruptWalException(file, offset, damage.problem() + " (not the last segment)");
        }
        int nonZeroEnd = Frames.endOfNonZero(content, offset, sizeBytes);
        boolean prefixTorn = damage.claimedEndOffset() >= 0
                ? nonZeroEnd < damage.claimedEndOffset()
                : nonZeroEnd <= offset + Frames.HEADER_BYTES;
        if (!prefixTorn && !neverFullyWritten(content, offset, sizeBytes, damage)) {
            throw new CorruptWalException(file, offset, damage.problem()
                    + "; written data reaches offset " + nonZeroEnd + ", so this is damage, not a torn write");
        }
        return new Outcome(offset, crc, damage.problem(), nonZeroEnd - offset);
    }

    /**
     * Whether the frame at {@code offset} shows a part that never reached the disk: an all-zero
     * 8-byte word where a written frame never has one — the first header word (it holds the
     * magic), the second (CRC and header CRC, zero together with probability 2^-64) or, when the
     * header is trusted, the trailer (its last byte has at least two bits set, so no single flip
     * zeroes it), or an aligned 512-byte sector of the whitened payload. Such a frame was never synced — a synced frame is whole — and the walk reached
     * {@code offset} over valid frames, so everything synced lies before it: cutting there after
     * out-of-order writeback loses nothing acknowledged.
     */
    private static boolean neverFullyWritten(byte[] content, int offset, int sizeBytes, Frames.Damage damage) {
        int word = Frames.ALIGNMENT_BYTES;
        if (Frames.allZero(content, offset, Math.min(sizeBytes, offset + word))
                || Frames.allZero(content, Math.min(sizeBytes, offset + word), Math.min(sizeBytes, offset + 2 * word))) {
            return true;
        }
        long end = damage.claimedEndOffset();
        if (end < 0 || end > sizeBytes) {
            return false;
        }
        if (Frames.allZero(content, (int) end - Frames.TRAILER_BYTES, (int) end)) {
            return true;
        }
        // A whitened payload sector is all zero only if it was never written: a lost middle sector.
        int payloadEnd = (int) end - Frames.TRAILER_BYTES;
        int sector = SECTOR_BYTES;
        for (int s = ceilTo(offset + Frames.HEADER_BYTES, sector); s + sector <= payloadEnd; s += sector) {
            if (Frames.allZero(content, s, s + sector)) {
                return true;
            }
        }
        return false;
    }

    private static int ceilTo(int value, int multiple) {
        return (value + multiple - 1) / multiple * multiple;
    }
}
