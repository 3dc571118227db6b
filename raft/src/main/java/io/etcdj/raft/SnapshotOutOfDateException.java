package io.etcdj.raft;

/** A snapshot older than the one storage already holds was offered. */
public final class SnapshotOutOfDateException extends RuntimeException {
    public SnapshotOutOfDateException() {
        super("requested index is older than the existing snapshot");
    }
}
