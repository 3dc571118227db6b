package io.etcdj.server.storage.wal;

/** Always-on checks (the JVM's assert is off by default); one condition per call. */
final class Invariants {

    private Invariants() {
    }

    static void check(boolean condition, String format, Object... args) {
        if (!condition) {
            throw new IllegalStateException("wal invariant violated: " + String.format(format, args));
        }
    }
}
