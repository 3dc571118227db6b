package io.etcdj.server.mvcc;

/** The requested revision was compacted away; the RPC layer answers etcd's ErrCompacted. */
public final class CompactedException extends RuntimeException {
    private final long compactRevision;

    public CompactedException(long requested, long compactRevision) {
        super("mvcc: required revision has been compacted (requested " + requested + ", compacted at "
                + compactRevision + ")");
        this.compactRevision = compactRevision;
    }

    public long compactRevision() {
        return compactRevision;
    }
}
