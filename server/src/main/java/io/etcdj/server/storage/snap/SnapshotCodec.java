package io.etcdj.server.storage.snap;

import io.etcdj.raft.ConfState;
import io.etcdj.raft.Snapshot;
import io.etcdj.raft.SnapshotMetadata;
import io.etcdj.server.storage.ConfStateCodec;
import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.zip.CRC32C;

/**
 * The {@code .snap} file format, little-endian (docs/wal.md): header = magic u32 "ESNP", version
 * u16 (1), reserved u16 (0), bodyLength u32, CRC-32C of the body u32; body = index u64, term u64,
 * conf state (autoLeave u8; voters, learners, votersOutgoing, learnersNext as u32 count + u64s),
 * dataLength u32, data.
 */
final class SnapshotCodec {

    static final int MAGIC = 0x504E5345; // "ESNP" read little-endian
    static final short VERSION = 1;
    static final int HEADER_BYTES = 16;

    private SnapshotCodec() {
    }

    static byte[] encode(Snapshot snapshot) {
        SnapshotMetadata meta = snapshot.metadata();
        int bodyBytes = 8 + 8 + ConfStateCodec.bytes(meta.confState()) + 4 + snapshot.data().length;
        ByteBuffer out = ByteBuffer.allocate(HEADER_BYTES + bodyBytes).order(ByteOrder.LITTLE_ENDIAN);
        out.position(HEADER_BYTES);
        out.putLong(meta.index()).putLong(meta.term());
        ConfStateCodec.write(out, meta.confState());
        out.putInt(snapshot.data().length).put(snapshot.data());
        CRC32C crc = new CRC32C();
        crc.update(out.array(), HEADER_BYTES, bodyBytes);
        out.putInt(0, MAGIC).putShort(4, VERSION).putShort(6, (short) 0).putInt(8, bodyBytes)
                .putInt(12, (int) crc.getValue());
        return out.array();
    }

    /** Decodes a file's bytes; throws IllegalArgumentException saying what is wrong. */
    static Snapshot decode(byte[] file) {
        if (file.length < HEADER_BYTES) {
            throw new IllegalArgumentException("file of " + file.length + " bytes is shorter than the header");
        }
        ByteBuffer in = ByteBuffer.wrap(file).order(ByteOrder.LITTLE_ENDIAN);
        if (in.getInt(0) != MAGIC || in.getShort(4) != VERSION || in.getShort(6) != 0) {
            throw new IllegalArgumentException("not a version-1 snapshot file (bad magic, version or reserved field)");
        }
        int bodyBytes = in.getInt(8);
        if (bodyBytes != file.length - HEADER_BYTES) {
            throw new IllegalArgumentException("body length " + bodyBytes + " but file holds "
                    + (file.length - HEADER_BYTES));
        }
        CRC32C crc = new CRC32C();
        crc.update(file, HEADER_BYTES, bodyBytes);
        if ((int) crc.getValue() != in.getInt(12)) {
            throw new IllegalArgumentException("crc mismatch");
        }
        try {
            return decodeBody(in.position(HEADER_BYTES));
        } catch (BufferUnderflowException e) {
            throw new IllegalArgumentException("body ends early", e);
        }
    }

    private static Snapshot decodeBody(ByteBuffer in) {
        long index = in.getLong();
        long term = in.getLong();
        ConfState conf = ConfStateCodec.read(in);
        int dataBytes = in.getInt();
        if (dataBytes != in.remaining()) {
            throw new IllegalArgumentException("data length " + dataBytes + " but " + in.remaining() + " bytes remain");
        }
        byte[] data = new byte[dataBytes];
        in.get(data);
        return new Snapshot(data, new SnapshotMetadata(conf, index, term));
    }
}
