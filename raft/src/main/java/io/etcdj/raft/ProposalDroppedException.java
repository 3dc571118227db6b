package io.etcdj.raft;

/**
 * A proposal (or read index / transfer request) was dropped: no known leader, forwarding
 * disabled, a leadership transfer in progress, the uncommitted-size limit reached, or this node
 * was removed. The caller may retry later; nothing changed.
 */
public final class ProposalDroppedException extends RuntimeException {
    public ProposalDroppedException(String reason) {
        super("raft proposal dropped: " + reason);
    }
}
