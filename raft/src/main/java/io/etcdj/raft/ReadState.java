package io.etcdj.raft;

/**
 * A read request confirmed by the leader: once applied ≥ {@code index}, the read identified by
 * {@code requestContext} may be served from the local state machine (linearizable).
 */
public record ReadState(long index, byte[] requestContext) {
    public ReadState {
        requestContext = requestContext == null ? new byte[0] : requestContext;
    }
}
