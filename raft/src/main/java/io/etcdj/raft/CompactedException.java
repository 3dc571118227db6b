package io.etcdj.raft;

/** The requested index is older than the storage's first index: it was compacted away. */
public final class CompactedException extends RuntimeException {
    public CompactedException() {
        super("requested index is unavailable due to compaction");
    }
}
