package io.etcdj.raft;

/**
 * Always-on invariant checks (the JVM's {@code assert} is off by default). A failed check means
 * the state machine is corrupt: it throws {@link IllegalStateException} stating what it saw.
 * Primitive overloads keep the passing path free of boxing and varargs arrays.
 */
public final class Invariants {

    private Invariants() {
    }

    public static void check(boolean condition, String message) {
        if (!condition) {
            throw new IllegalStateException(message);
        }
    }

    public static void check(boolean condition, String format, long a) {
        if (!condition) {
            throw new IllegalStateException(String.format(format, a));
        }
    }

    public static void check(boolean condition, String format, long a, long b) {
        if (!condition) {
            throw new IllegalStateException(String.format(format, a, b));
        }
    }

    public static void check(boolean condition, String format, long a, long b, long c) {
        if (!condition) {
            throw new IllegalStateException(String.format(format, a, b, c));
        }
    }

    public static void check(boolean condition, String format, Object... args) {
        if (!condition) {
            throw new IllegalStateException(String.format(format, args));
        }
    }
}
