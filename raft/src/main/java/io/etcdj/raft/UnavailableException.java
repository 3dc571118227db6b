package io.etcdj.raft;

/** The requested entry is past the storage's last index. */
public final class UnavailableException extends RuntimeException {
    public UnavailableException() {
        super("requested entry at index is unavailable");
    }
}
