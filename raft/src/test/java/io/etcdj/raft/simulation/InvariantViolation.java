package io.etcdj.raft.simulation;

/** A raft safety property does not hold; the message names the property and what was seen. */
final class InvariantViolation extends AssertionError {

    private static final long serialVersionUID = 1L;

    InvariantViolation(String property, String detail) {
        super(property + ": " + detail);
    }

    InvariantViolation(String property, String detail, Throwable cause) {
        super(property + ": " + detail, cause);
    }
}
