package io.etcdj.server.storage.wal;

import io.etcdj.raft.ConfState;
import io.etcdj.raft.Entry;
import io.etcdj.raft.EntryType;
import io.etcdj.raft.HardState;
import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

/**
 * Record payload encodings, little-endian (docs/wal.md): entry = term u64, index u64, type u8,
 * data; hard state = term, vote, commit (u64 each); crc = u32; snapshot = index u64, term u64,
 * conf state; conf state = autoLeave u8, then voters, learners, votersOutgoing, learnersNext,
 * each a u32 count and that many u64 ids. Decoders reject trailing or missing bytes.
 */
final class Payloads {

    /** A conf state list longer than this is damage, not a cluster. */
    static final int MAX_CONF_STATE_IDS = 1 << 16;

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
        ConfState conf = snapshot.confState();
        out.put((byte) (conf.autoLeave() ? 1 : 0));
        for (List<Long> ids : List.of(conf.voters(), conf.learners(), conf.votersOutgoing(), conf.learnersNext())) {
            out.putInt(ids.size());
            for (long id : ids) {
                out.putLong(id);
            }
        }
    }

    /** Upper bound of a snapshot payload, for buffer sizing. */
    static int snapshotBytes(WalSnapshot snapshot) {
        ConfState c = snapshot.confState();
        return 17 + 16 + 8 * (c.voters().size() + c.learners().size() + c.votersOutgoing().size()
                + c.learnersNext().size());
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
        boolean autoLeave = in.get() != 0;
        List<List<Long>> lists = new ArrayList<>(4);
        for (int l = 0; l < 4; l++) {
            int count = in.getInt();
            if (count < 0 || count > MAX_CONF_STATE_IDS) {
                throw new IllegalArgumentException("conf state list of " + count + " ids");
            }
            List<Long> ids = new ArrayList<>(count);
            for (int i = 0; i < count; i++) {
                ids.add(in.getLong());
            }
            lists.add(ids);
        }
        requireConsumed(in);
        return new WalSnapshot(index, term, new ConfState(lists.get(0), lists.get(1), lists.get(2), lists.get(3), autoLeave));
    }

    private static void requireConsumed(ByteBuffer in) {
        if (in.hasRemaining()) {
            throw new BufferUnderflowException();
        }
    }
}
