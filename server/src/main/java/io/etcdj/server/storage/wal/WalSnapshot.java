package io.etcdj.server.storage.wal;

import io.etcdj.raft.ConfState;

/**
 * A snapshot marker: the WAL's note that raft state up to {@code index} (at {@code term}) is held
 * by a snapshot, so replay may start there. {@link #ZERO} is the marker every new WAL starts with.
 */
public record WalSnapshot(long index, long term, ConfState confState) {

    public static final WalSnapshot ZERO = new WalSnapshot(0, 0, ConfState.EMPTY);

    public WalSnapshot {
        if (confState == null) {
            confState = ConfState.EMPTY;
        }
        if (index < 0 || term < 0) {
            throw new IllegalArgumentException("snapshot marker index " + index + " term " + term + " negative");
        }
    }
}
