package io.etcdj.server.storage.wal;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.zip.CRC32C;

/**
 * Frames records into one batch buffer and writes it to the current segment with a single write;
 * {@link #sync()} makes it durable. Owns the running CRC. Used by the WAL's one writer thread.
 */
final class Appender {

    /** The batch buffer starts at this size and grows to fit a Ready's records. */
    static final int INITIAL_BUFFER_BYTES = 1 << 20;
    /** A buffer grown past this is given back after its batch, so one huge Ready is not kept. */
    static final int RETAINED_BUFFER_BYTES = 8 << 20;

    private final WalOptions options;
    private final CRC32C crc32c = new CRC32C();
    private ByteBuffer buffer = newBuffer(INITIAL_BUFFER_BYTES);
    private Disk.DiskFile file;
    private long offsetBytes;
    private int crc;

    Appender(WalOptions options, Disk.DiskFile file, long offsetBytes, int crc) {
        this.options = options;
        this.file = file;
        this.offsetBytes = offsetBytes;
        this.crc = crc;
    }

    /** Frames one record into the batch; {@code payloadBytes} is an upper bound of its payload. */
    void add(RecordType type, int payloadBytes, Frames.PayloadWriter payload) {
        int needed = Frames.frameBytes(payloadBytes);
        if (buffer.remaining() < needed) {
            long grown = Math.max(2L * buffer.capacity(), (long) buffer.position() + needed);
            Invariants.check(grown <= Integer.MAX_VALUE - 8, "wal batch of %d bytes too large", grown);
            ByteBuffer bigger = newBuffer((int) grown);
            buffer.flip();
            bigger.put(buffer);
            buffer = bigger;
        }
        crc = Frames.append(buffer, crc32c, crc, type, options.maxRecordBytes(), payload);
    }

    /** Starts a CRC record carrying the running CRC: the first record of every segment. */
    void addCrcRecord() {
        int carried = crc;
        add(RecordType.CRC, Integer.BYTES, out -> out.putInt(carried));
    }

    boolean hasPending() {
        return buffer.position() > 0;
    }

    /** Writes the batch (one write call) at the end of the current segment. */
    void flush() throws IOException {
        int bytes = buffer.position();
        buffer.flip();
        file.write(offsetBytes, buffer);
        offsetBytes += bytes;
        options.metrics().bytesWritten(bytes);
        if (buffer.capacity() > RETAINED_BUFFER_BYTES) {
            buffer = newBuffer(INITIAL_BUFFER_BYTES);
        } else {
            buffer.clear();
        }
    }

    /** fdatasync of the current segment, timed for the fsync-duration metric. */
    void sync() throws IOException {
        long startNanos = options.nanoClock().getAsLong();
        file.force();
        options.metrics().fsyncCompleted(options.nanoClock().getAsLong() - startNanos);
    }

    /** Switches to a new segment; the old handle is returned for the caller to close. */
    Disk.DiskFile switchTo(Disk.DiskFile next) {
        Invariants.check(!hasPending(), "switching segments with %d unwritten bytes", buffer.position());
        Disk.DiskFile previous = file;
        file = next;
        offsetBytes = 0;
        return previous;
    }

    /** Drops a batch that failed to encode, restoring the CRC it started from. */
    void discard(int crcBefore) {
        buffer.clear();
        crc = crcBefore;
    }

    Disk.DiskFile file() {
        return file;
    }

    long offsetBytes() {
        return offsetBytes;
    }

    int crc() {
        return crc;
    }

    private static ByteBuffer newBuffer(int bytes) {
        return ByteBuffer.allocateDirect(bytes).order(ByteOrder.LITTLE_ENDIAN);
    }
}
