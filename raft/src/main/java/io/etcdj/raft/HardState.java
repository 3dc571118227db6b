package io.etcdj.raft;

/** The raft state that must be durable before messages that depend on it are sent (§5.1). */
public record HardState(long term, long vote, long commit) {

    public static final HardState EMPTY = new HardState(0, 0, 0);

    public boolean isEmpty() {
        return equals(EMPTY);
    }
}
