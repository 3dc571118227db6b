package io.etcdj.server.mvcc;

/** Always-on invariant checks (the JVM's {@code assert} is off by default). */
final class Checks {
    private Checks() {
    }

    static void check(boolean condition, String format, Object... args) {
        if (!condition) {
            throw new IllegalStateException("mvcc invariant violated: " + String.format(format, args));
        }
    }
}
