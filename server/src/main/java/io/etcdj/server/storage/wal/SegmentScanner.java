package io.etcdj.server.storage.wal;

import java.nio.ByteBuffer;
import java.util.zip.CRC32C;

/**
 * Reads one segment's records, checking frame, chain and payload, and decides where its data
 * ends. The rule that separates a torn write from damage (docs/wal.md, "Torn or corrupt"): only
 * the last segment may end in a torn record, and only if every byte from the record's start to the
 * end of the file that is not zero lies inside the part of the frame written before its trailer
 * (or inside the header, when the header is unusable). A frame whose trailer is on disk was written
 * whole, so its failing CRC is damage; so is anything non-zero after the point where records stop.
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
                return tornOrCorrupt(file, content, sizeBytes, lastSegment, offset, crc, damage);
            }
            Frames.Frame frame = (Frames.Frame) decoded;
            ByteBuffer payload = Payloads.view(content, frame.payloadOffset(), frame.payloadLength());
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
        // A cut leaves no zeros in a full segment unless the segment size was lowered between
        // runs, so checking every segment's tail costs little and catches damage there too.
        if (Frames.endOfNonZero(content, offset, sizeBytes) > offset) {
            throw new CorruptWalException(file, offset, "records end here but non-zero data follows up to offset "
                    + Frames.endOfNonZero(content, offset, sizeBytes));
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
        boolean torn = damage.claimedEndOffset() >= 0
                ? nonZeroEnd < damage.claimedEndOffset()
                : nonZeroEnd <= offset + Frames.HEADER_BYTES;
        if (!torn) {
            throw new CorruptWalException(file, offset, damage.problem()
                    + "; written data reaches offset " + nonZeroEnd + ", so this is damage, not a torn write");
        }
        return new Outcome(offset, crc, damage.problem(), nonZeroEnd - offset);
    }
}
