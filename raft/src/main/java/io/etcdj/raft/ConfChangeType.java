package io.etcdj.raft;

/** A single membership change; ordinal order matches etcd's {@code ConfChangeType} numbering. */
public enum ConfChangeType {
    ADD_NODE, REMOVE_NODE, UPDATE_NODE, ADD_LEARNER_NODE
}
