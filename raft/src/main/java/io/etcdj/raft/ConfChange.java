package io.etcdj.raft;

import java.util.Arrays;
import java.util.List;

/** A single-member change (etcd's V1 {@code ConfChange}); {@code context} is opaque to raft. */
public record ConfChange(ConfChangeType type, long nodeId, byte[] context) implements ConfChangeI {

    public ConfChange {
        if (type == null) {
            throw new IllegalArgumentException("conf change type is null");
        }
        if (context == null) {
            context = new byte[0];
        }
    }

    @Override
    public ConfChangeV2 asV2() {
        return new ConfChangeV2(ConfChangeTransition.AUTO,
                List.of(new ConfChangeSingle(type, nodeId)), context);
    }

    @Override
    public EntryType entryType() {
        return EntryType.CONF_CHANGE;
    }

    @Override
    public byte[] encode() {
        return ConfChangeCodec.encode(this);
    }

    public static ConfChange decode(byte[] data) {
        return ConfChangeCodec.decodeV1(data);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ConfChange that && type == that.type && nodeId == that.nodeId
                && Arrays.equals(context, that.context);
    }

    @Override
    public int hashCode() {
        return (type.hashCode() * 31 + Long.hashCode(nodeId)) * 31 + Arrays.hashCode(context);
    }

    @Override
    public String toString() {
        return type + " " + Long.toUnsignedString(nodeId, 16);
    }
}
