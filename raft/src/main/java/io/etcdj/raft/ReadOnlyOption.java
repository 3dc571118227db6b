package io.etcdj.raft;

/** How the leader confirms it is still leader before answering a read index. */
public enum ReadOnlyOption {
    /** A heartbeat round acknowledged by a quorum (thesis §6.4). */
    SAFE,
    /**
     * The leader lease (thesis §6.4.1): no round trip; relies on bounded clock drift and on
     * CheckQuorum (followers refuse votes while they hear from a leader).
     */
    LEASE_BASED
}
