package io.etcdj.raft;

/**
 * A membership change as proposed and as carried in a log entry: either the single-member
 * {@link ConfChange} (what etcd's server proposes) or the joint-consensus {@link ConfChangeV2}.
 * Raft itself works on {@link #asV2()}.
 */
public sealed interface ConfChangeI permits ConfChange, ConfChangeV2 {

    /** The same change in V2 form. */
    ConfChangeV2 asV2();

    /** The entry type this change is carried in. */
    EntryType entryType();

    /** Stable binary encoding for the entry payload; see {@link ConfChangeCodec}. */
    byte[] encode();

    /** Decodes the payload of a conf change entry. */
    static ConfChangeI fromEntry(Entry entry) {
        return switch (entry.type()) {
            case CONF_CHANGE -> ConfChange.decode(entry.data());
            case CONF_CHANGE_V2 -> ConfChangeV2.decode(entry.data());
            case NORMAL -> throw new IllegalArgumentException("not a conf change entry: " + entry);
        };
    }
}
