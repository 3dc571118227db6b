package io.etcdj.raft;

/** A node's role. */
public enum StateType {
    FOLLOWER, CANDIDATE, LEADER, PRE_CANDIDATE
}
