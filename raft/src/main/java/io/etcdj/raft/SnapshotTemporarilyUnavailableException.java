package io.etcdj.raft;

/** The storage is building a snapshot; raft retries sending one later. */
public final class SnapshotTemporarilyUnavailableException extends RuntimeException {
    public SnapshotTemporarilyUnavailableException() {
        super("snapshot is temporarily unavailable");
    }
}
