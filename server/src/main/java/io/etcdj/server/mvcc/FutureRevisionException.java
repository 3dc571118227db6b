package io.etcdj.server.mvcc;

/** The requested revision is newer than the store's; the RPC layer answers etcd's ErrFutureRev. */
public final class FutureRevisionException extends RuntimeException {
    public FutureRevisionException(long requested, long currentRevision) {
        super("mvcc: required revision is a future revision (requested " + requested + ", current "
                + currentRevision + ")");
    }
}
