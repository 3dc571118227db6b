package io.etcdj.server.storage;

import io.etcdj.raft.ConfState;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

/**
 * The one binary form of a raft {@link ConfState}, shared by WAL snapshot records and
 * {@code .snap} files (docs/wal.md): autoLeave u8, then voters, learners, votersOutgoing and
 * learnersNext, each a u32 count and that many u64 ids, in the buffer's byte order.
 */
public final class ConfStateCodec {

    /** A conf state list longer than this is damage, not a cluster. */
    public static final int MAX_IDS_PER_LIST = 1 << 16;

    private ConfStateCodec() {
    }

    /** Encoded size in bytes. */
    public static int bytes(ConfState conf) {
        return 1 + 4 * 4 + 8 * (conf.voters().size() + conf.learners().size() + conf.votersOutgoing().size()
                + conf.learnersNext().size());
    }

    public static void write(ByteBuffer out, ConfState conf) {
        out.put((byte) (conf.autoLeave() ? 1 : 0));
        for (List<Long> ids : List.of(conf.voters(), conf.learners(), conf.votersOutgoing(), conf.learnersNext())) {
            out.putInt(ids.size());
            for (long id : ids) {
                out.putLong(id);
            }
        }
    }

    /**
     * Reads one conf state; throws IllegalArgumentException for an impossible list length and
     * BufferUnderflowException when the bytes end early.
     */
    public static ConfState read(ByteBuffer in) {
        boolean autoLeave = in.get() != 0;
        List<List<Long>> lists = new ArrayList<>(4);
        for (int l = 0; l < 4; l++) {
            int count = in.getInt();
            if (count < 0 || count > MAX_IDS_PER_LIST) {
                throw new IllegalArgumentException("conf state list of " + count + " ids");
            }
            List<Long> ids = new ArrayList<>(count);
            for (int i = 0; i < count; i++) {
                ids.add(in.getLong());
            }
            lists.add(ids);
        }
        return new ConfState(lists.get(0), lists.get(1), lists.get(2), lists.get(3), autoLeave);
    }
}
