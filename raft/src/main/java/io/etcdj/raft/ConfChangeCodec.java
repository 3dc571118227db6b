package io.etcdj.raft;

import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

/**
 * Our own stable payload format for conf change entries (big-endian):
 * <pre>
 * V1: 0x01 | type:u8 | nodeId:u64 | contextLen:u32 | context
 * V2: 0x02 | transition:u8 | count:u32 | count × (type:u8 | nodeId:u64) | contextLen:u32 | context
 * </pre>
 * An empty V2 payload decodes to the empty change (auto-leave entries carry no data, so they can
 * never be refused for size). Enum values are etcd's numbering (the enum ordinal).
 */
final class ConfChangeCodec {

    private static final byte V1 = 1;
    private static final byte V2 = 2;

    private ConfChangeCodec() {
    }

    static byte[] encode(ConfChange cc) {
        ByteBuffer buf = ByteBuffer.allocate(1 + 1 + 8 + 4 + cc.context().length);
        buf.put(V1).put((byte) cc.type().ordinal()).putLong(cc.nodeId());
        buf.putInt(cc.context().length).put(cc.context());
        return buf.array();
    }

    static byte[] encode(ConfChangeV2 cc) {
        ByteBuffer buf = ByteBuffer.allocate(1 + 1 + 4 + cc.changes().size() * 9 + 4 + cc.context().length);
        buf.put(V2).put((byte) cc.transition().ordinal()).putInt(cc.changes().size());
        for (ConfChangeSingle c : cc.changes()) {
            buf.put((byte) c.type().ordinal()).putLong(c.nodeId());
        }
        buf.putInt(cc.context().length).put(cc.context());
        return buf.array();
    }

    static ConfChange decodeV1(byte[] data) {
        try {
            ByteBuffer buf = ByteBuffer.wrap(data);
            expectTag(buf, V1);
            ConfChangeType type = enumAt(ConfChangeType.values(), buf.get());
            long nodeId = buf.getLong();
            byte[] context = readContext(buf);
            return new ConfChange(type, nodeId, context);
        } catch (BufferUnderflowException e) {
            throw new IllegalArgumentException("truncated ConfChange payload", e);
        }
    }

    static ConfChangeV2 decodeV2(byte[] data) {
        if (data.length == 0) {
            return ConfChangeV2.LEAVE_JOINT;
        }
        try {
            ByteBuffer buf = ByteBuffer.wrap(data);
            expectTag(buf, V2);
            ConfChangeTransition transition = enumAt(ConfChangeTransition.values(), buf.get());
            int count = buf.getInt();
            if (count < 0 || count > buf.remaining() / 9) {
                throw new IllegalArgumentException("bad ConfChangeV2 change count " + count);
            }
            List<ConfChangeSingle> changes = new ArrayList<>(count);
            for (int i = 0; i < count; i++) {
                ConfChangeType type = enumAt(ConfChangeType.values(), buf.get());
                changes.add(new ConfChangeSingle(type, buf.getLong()));
            }
            return new ConfChangeV2(transition, changes, readContext(buf));
        } catch (BufferUnderflowException e) {
            throw new IllegalArgumentException("truncated ConfChangeV2 payload", e);
        }
    }

    private static void expectTag(ByteBuffer buf, byte tag) {
        byte got = buf.get();
        if (got != tag) {
            throw new IllegalArgumentException("conf change payload tag " + got + ", want " + tag);
        }
    }

    private static <E> E enumAt(E[] values, byte ordinal) {
        if (ordinal < 0 || ordinal >= values.length) {
            throw new IllegalArgumentException("unknown enum value " + ordinal);
        }
        return values[ordinal];
    }

    private static byte[] readContext(ByteBuffer buf) {
        int len = buf.getInt();
        if (len < 0 || len != buf.remaining()) {
            throw new IllegalArgumentException("bad conf change context length " + len);
        }
        byte[] context = new byte[len];
        buf.get(context);
        return context;
    }
}
