package io.etcdj.raft;

/** Volatile state worth reporting but not persisting: who leads and this node's role. */
public record SoftState(long leader, StateType raftState) {
}
