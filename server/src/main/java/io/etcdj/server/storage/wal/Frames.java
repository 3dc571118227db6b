package io.etcdj.server.storage.wal;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.zip.CRC32C;

/**
 * The record frame (docs/wal.md has the picture). Little-endian, 8-byte aligned:
 *
 * <pre>
 *  0  u32 payloadLength       4  u8 type   5  u8 padBytes   6  u16 MAGIC
 *  8  u32 crc                 12 u32 headerCrc = CRC-32C(bytes 0..11)
 * 16  payload (whitened, see Whitening), then padBytes zeros up to a multiple of 8
 * end-8  u32 crc (again)      end-4  u32 payloadLength ^ TRAILER_MASK
 * </pre>
 *
 * {@code crc} chains: {@code crc_i = CRC-32C(le32(crc_{i-1}) ‖ type ‖ payload)}, so a record
 * cannot be dropped, reordered or replayed from another place without breaking every later check.
 * The header CRC means a damaged length is never trusted. The trailer is written last and its
 * final byte is never zero (lengths stay below 2^30, the mask's top byte is 0xA5): under the
 * prefix-persistence model a frame whose trailer is there was written whole, so a CRC mismatch in
 * it is damage, not a torn write. That is what lets open() tell the two apart.
 */
final class Frames {

    static final int HEADER_BYTES = 16;
    static final int TRAILER_BYTES = 8;
    static final int ALIGNMENT_BYTES = 8;
    static final short MAGIC = (short) 0xE7D1;
    static final int TRAILER_MASK = 0xA5A5A5A5;

    private Frames() {
    }

    static int padBytes(int payloadLength) {
        return -payloadLength & (ALIGNMENT_BYTES - 1);
    }

    static int frameBytes(int payloadLength) {
        return HEADER_BYTES + payloadLength + padBytes(payloadLength) + TRAILER_BYTES;
    }

    /** Writes a record's payload into a buffer; the frame is built around it. */
    @FunctionalInterface
    interface PayloadWriter {
        void write(ByteBuffer out);
    }

    /**
     * Appends one frame to {@code out} (little-endian, with room for it) and returns its chained
     * CRC. {@code crc32c} is scratch state, reset here.
     */
    static int append(ByteBuffer out, CRC32C crc32c, int previousCrc, RecordType type, int maxRecordBytes,
            PayloadWriter payload) {
        int start = out.position();
        out.position(start + HEADER_BYTES);
        payload.write(out);
        int payloadLength = out.position() - start - HEADER_BYTES;
        if (payloadLength > maxRecordBytes) {
            // Checked before anything reaches the disk; the caller drops the whole batch.
            throw new IllegalArgumentException("wal: record of " + payloadLength
                    + " bytes over maxRecordBytes " + maxRecordBytes);
        }
        int pad = padBytes(payloadLength);
        for (int i = 0; i < pad; i++) {
            out.put((byte) 0);
        }
        int crc = chain(crc32c, previousCrc, type.code, out.duplicate().position(start + HEADER_BYTES)
                .limit(start + HEADER_BYTES + payloadLength));
        if (type != RecordType.CRC) {
            // The CRC covers the data; the disk gets it whitened. A CRC record stays plain: it
            // carries the seed a reader needs first.
            Whitening.apply(out, start + HEADER_BYTES, payloadLength, previousCrc);
        }
        out.putInt(crc).putInt(payloadLength ^ TRAILER_MASK);
        out.putInt(start, payloadLength);
        out.put(start + 4, (byte) type.code);
        out.put(start + 5, (byte) pad);
        out.putShort(start + 6, MAGIC);
        out.putInt(start + 8, crc);
        crc32c.reset();
        crc32c.update(out.duplicate().position(start).limit(start + 12));
        out.putInt(start + 12, (int) crc32c.getValue());
        return crc;
    }

    /**
     * A frame's payload as the writer framed it (whitening removed), little-endian; a copy, so
     * the segment bytes keep what the disk holds.
     */
    static ByteBuffer payload(byte[] segment, Frame frame, int previousCrc) {
        ByteBuffer copy = ByteBuffer.wrap(java.util.Arrays.copyOfRange(segment, frame.payloadOffset(),
                frame.payloadOffset() + frame.payloadLength())).order(ByteOrder.LITTLE_ENDIAN);
        if (frame.type() != RecordType.CRC) {
            Whitening.apply(copy, 0, frame.payloadLength(), previousCrc);
        }
        return copy;
    }

    /** The chained CRC of a record whose payload is {@code payload}'s remaining bytes. */
    static int chain(CRC32C crc32c, int previousCrc, int typeCode, ByteBuffer payload) {
        crc32c.reset();
        crc32c.update(previousCrc & 0xFF);
        crc32c.update(previousCrc >>> 8 & 0xFF);
        crc32c.update(previousCrc >>> 16 & 0xFF);
        crc32c.update(previousCrc >>> 24 & 0xFF);
        crc32c.update(typeCode);
        crc32c.update(payload);
        return (int) crc32c.getValue();
    }

    /** A decoded frame, or why the bytes at an offset are not one. */
    sealed interface Decoded permits Frame, EndOfData, Damage {
    }

    /** A well-formed frame; its chained CRC is still to be checked against the previous one. */
    record Frame(RecordType type, int payloadOffset, int payloadLength, int crc, int endOffset)
            implements Decoded {
    }

    /** An all-zero header: where the writer stopped (the rest of a preallocated segment). */
    record EndOfData() implements Decoded {
    }

    /**
     * Not a frame. {@code claimedEndOffset} is where the frame would end by its (trusted) header,
     * or -1 when the header itself is unusable.
     */
    record Damage(String problem, long claimedEndOffset) implements Decoded {
    }

    static Decoded decode(byte[] segment, int offset, int sizeBytes, int maxRecordBytes, CRC32C crc32c) {
        if (sizeBytes - offset < HEADER_BYTES) {
            return allZero(segment, offset, sizeBytes) ? new EndOfData()
                    : new Damage("partial header of " + (sizeBytes - offset) + " bytes at end of file", -1);
        }
        ByteBuffer in = ByteBuffer.wrap(segment, 0, sizeBytes).order(ByteOrder.LITTLE_ENDIAN);
        if (allZero(segment, offset, offset + HEADER_BYTES)) {
            return new EndOfData();
        }
        crc32c.reset();
        crc32c.update(segment, offset, 12);
        if ((int) crc32c.getValue() != in.getInt(offset + 12)) {
            return new Damage("header checksum mismatch", -1);
        }
        int payloadLength = in.getInt(offset);
        RecordType type = RecordType.ofCode(in.get(offset + 4));
        if (in.getShort(offset + 6) != MAGIC || type == null || payloadLength < 0
                || payloadLength > maxRecordBytes || in.get(offset + 5) != padBytes(payloadLength)) {
            return new Damage("header fields invalid (length " + payloadLength + ")", -1);
        }
        long end = (long) offset + frameBytes(payloadLength);
        if (end > sizeBytes) {
            return new Damage("record of " + payloadLength + " bytes runs past end of file", end);
        }
        int crc = in.getInt(offset + 8);
        int trailer = (int) end - TRAILER_BYTES;
        if (!allZero(segment, offset + HEADER_BYTES + payloadLength, trailer)) {
            // The padding is outside the CRC; zeros are its only valid content.
            return new Damage("non-zero padding", end);
        }
        if (in.getInt(trailer) != crc || in.getInt(trailer + 4) != (payloadLength ^ TRAILER_MASK)) {
            return new Damage("trailer does not match header", end);
        }
        return new Frame(type, offset + HEADER_BYTES, payloadLength, crc, (int) end);
    }

    /** Zeros to compare against; {@link java.util.Arrays#mismatch} compares vectorised. */
    private static final byte[] ZEROS = new byte[4096];

    static boolean allZero(byte[] bytes, int from, int to) {
        for (int start = from; start < to; start += ZEROS.length) {
            int length = Math.min(ZEROS.length, to - start);
            if (java.util.Arrays.mismatch(bytes, start, start + length, ZEROS, 0, length) >= 0) {
                return false;
            }
        }
        return true;
    }

    /** One past the last non-zero byte in {@code [from, to)}, or {@code from} if all are zero. */
    static int endOfNonZero(byte[] bytes, int from, int to) {
        int end = to;
        while (end > from) {
            int start = Math.max(from, end - ZEROS.length);
            if (!allZero(bytes, start, end)) {
                for (int i = end - 1; i >= start; i--) {
                    if (bytes[i] != 0) {
                        return i + 1;
                    }
                }
            }
            end = start;
        }
        return from;
    }
}
