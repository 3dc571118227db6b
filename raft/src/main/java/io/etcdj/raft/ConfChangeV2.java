package io.etcdj.raft;

import java.util.Arrays;
import java.util.List;

/**
 * A change of any number of members, through joint consensus when needed (§6). The empty change
 * ({@code AUTO}, no changes) leaves a joint configuration.
 */
public record ConfChangeV2(ConfChangeTransition transition, List<ConfChangeSingle> changes, byte[] context)
        implements ConfChangeI {

    /** The change that leaves a joint configuration. */
    public static final ConfChangeV2 LEAVE_JOINT = new ConfChangeV2(ConfChangeTransition.AUTO, List.of(), null);

    public ConfChangeV2 {
        if (transition == null) {
            transition = ConfChangeTransition.AUTO;
        }
        changes = List.copyOf(changes);
        if (context == null) {
            context = new byte[0];
        }
    }

    @Override
    public ConfChangeV2 asV2() {
        return this;
    }

    @Override
    public EntryType entryType() {
        return EntryType.CONF_CHANGE_V2;
    }

    @Override
    public byte[] encode() {
        return ConfChangeCodec.encode(this);
    }

    /** Decodes; an empty payload is the empty change (how an auto-leave entry is carried). */
    public static ConfChangeV2 decode(byte[] data) {
        return ConfChangeCodec.decodeV2(data);
    }

    /** Whether this change leaves a joint configuration (context does not matter). */
    public boolean leaveJoint() {
        return transition == ConfChangeTransition.AUTO && changes.isEmpty();
    }

    /**
     * Whether this change enters a joint configuration: any explicit joint transition, or more
     * than one change (a simple change may alter at most one voter).
     */
    public boolean enterJoint() {
        return transition != ConfChangeTransition.AUTO || changes.size() > 1;
    }

    /** When entering joint: leave it automatically once applied. */
    public boolean autoLeave() {
        return transition != ConfChangeTransition.JOINT_EXPLICIT;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ConfChangeV2 that && transition == that.transition
                && changes.equals(that.changes) && Arrays.equals(context, that.context);
    }

    @Override
    public int hashCode() {
        return (transition.hashCode() * 31 + changes.hashCode()) * 31 + Arrays.hashCode(context);
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder();
        if (transition != ConfChangeTransition.AUTO) {
            sb.append(transition).append(' ');
        }
        for (int i = 0; i < changes.size(); i++) {
            if (i > 0) {
                sb.append(' ');
            }
            ConfChangeSingle c = changes.get(i);
            sb.append(c.type()).append(' ').append(Long.toUnsignedString(c.nodeId(), 16));
        }
        return changes.isEmpty() ? sb.append("LEAVE_JOINT").toString() : sb.toString();
    }
}
