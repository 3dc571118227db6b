package io.etcdj.server.storage.wal;

import io.etcdj.raft.ConfState;
import io.etcdj.raft.Entry;
import io.etcdj.raft.EntryType;
import io.etcdj.raft.HardState;
import io.etcdj.server.storage.ConfStateCodec;
import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;

/**
 * Record payload encodings, little-endian (docs/wal.md): entry = term u64, index u64, type u8,
 * data; hard state = term, vote, commit (u64 each); crc = u32; snapshot = index u64, term u64,
 * conf state; conf state = autoLeave u8, then voters, learners, votersOutgoing, learnersNext,
 * each a u32 count and that many u64 ids. Decoders reject trailing or missing bytes.
 */
final class Payloads {

    private Payloads() {
    }

    static void writeEntry(ByteBuffer out, Entry entry) {
        out.putLong(entry.term()).putLong(entry.index()).put((byte) entry.type().ordinal()).put(entry.data());
    }

    static void writeHardState(ByteBuffer out, HardState state) {
        out.putLong(state.term()).putLong(state.vote()).putLong(state.commit());
    }

    static void writeSnapshot(ByteBuffer out, WalSnapshot snapshot) {
        out.putLong(snapshot.index()).putLong(snapshot.term());
        ConfStateCodec.write(out, snapshot.confState());
    }

    /** Upper bound of a snapshot payload, for buffer sizing. */
    static int snapshotBytes(WalSnapshot snapshot) {
        return 16 + ConfStateCodec.bytes(snapshot.confState());
    }

    static Entry readEntry(ByteBuffer in) {
        long term = in.getLong();
        long index = in.getLong();
        int typeOrdinal = in.get();
        if (typeOrdinal < 0 || typeOrdinal >= EntryType.values().length) {
            throw new IllegalArgumentException("unknown entry type " + typeOrdinal);
        }
        byte[] data = new byte[in.remaining()];
        in.get(data);
        return new Entry(term, index, EntryType.values()[typeOrdinal], data);
    }

    static HardState readHardState(ByteBuffer in) {
        HardState state = new HardState(in.getLong(), in.getLong(), in.getLong());
        requireConsumed(in);
        return state;
    }

    static int readCrc(ByteBuffer in) {
        int crc = in.getInt();
        requireConsumed(in);
        return crc;
    }

    static WalSnapshot readSnapshot(ByteBuffer in) {
        long index = in.getLong();
        long term = in.getLong();
        ConfState conf = ConfStateCodec.read(in);
        requireConsumed(in);
        return new WalSnapshot(index, term, conf);
    }

    private static void requireConsumed(ByteBuffer in) {
        if (in.hasRemaining()) {
            throw new BufferUnderflowException();
        }
    }
}
