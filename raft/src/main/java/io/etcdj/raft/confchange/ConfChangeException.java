package io.etcdj.raft.confchange;

/** A configuration change that cannot be applied to the current configuration. */
public final class ConfChangeException extends IllegalArgumentException {
    public ConfChangeException(String message) {
        super(message);
    }
}
