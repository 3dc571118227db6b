package io.etcdj.raft;

/** What a log entry carries; ordinal order matches etcd raft's {@code EntryType} numbering. */
public enum EntryType {
    /** An application command (or the empty entry a new leader appends). */
    NORMAL,
    /** A single-member configuration change ({@code ConfChange}). */
    CONF_CHANGE,
    /** A joint-consensus configuration change ({@code ConfChangeV2}). */
    CONF_CHANGE_V2
}
