package io.etcdj.raft;

/** How a ConfChangeV2 uses joint consensus (etcd's {@code ConfChangeTransition}). */
public enum ConfChangeTransition {
    /** Joint consensus only if needed (more than one voter changes), left automatically. */
    AUTO,
    /** Always joint, left automatically once applied. */
    JOINT_IMPLICIT,
    /** Always joint, left only by an explicit empty ConfChangeV2. */
    JOINT_EXPLICIT
}
