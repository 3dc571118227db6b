package io.etcdj.server.storage.wal;

import io.etcdj.raft.Entry;
import io.etcdj.raft.HardState;
import java.util.List;

/**
 * What {@link Wal#readAll()} recovered: the server's metadata, the last hard state, and the log
 * entries after the snapshot marker the WAL was opened at, conflicts resolved as raft's log does
 * (a later entry at an index replaces the earlier one and everything after it).
 */
public record ReadResult(byte[] metadata, HardState hardState, List<Entry> entries) {

    public ReadResult {
        entries = List.copyOf(entries);
    }
}
