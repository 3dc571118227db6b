package io.etcdj.raft.tracker;

/** How the leader currently replicates to one peer. */
public enum ProgressState {
    /** One append per heartbeat interval until the peer's match index is found. */
    PROBE,
    /** Optimistic streaming of appends, bounded by the inflight window. */
    REPLICATE,
    /** A snapshot is in flight; appends wait until it is reported applied or failed. */
    SNAPSHOT
}
