package io.etcdj.raft;

/** One member change inside a {@link ConfChangeV2}. */
public record ConfChangeSingle(ConfChangeType type, long nodeId) {
    public ConfChangeSingle {
        if (type == null) {
            throw new IllegalArgumentException("conf change type is null");
        }
    }
}
