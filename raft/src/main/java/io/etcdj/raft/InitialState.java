package io.etcdj.raft;

/** What a node restarts from: the durable hard state and the membership in force. */
public record InitialState(HardState hardState, ConfState confState) {
    public InitialState {
        if (hardState == null) {
            hardState = HardState.EMPTY;
        }
        if (confState == null) {
            confState = ConfState.EMPTY;
        }
    }
}
