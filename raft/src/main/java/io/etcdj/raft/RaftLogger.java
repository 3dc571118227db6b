package io.etcdj.raft;

/**
 * Where raft reports state transitions and notable events. Raft does no I/O: the application
 * decides what to do with the line. Lines are formatted only if {@link #enabled} says so.
 */
public interface RaftLogger {

    RaftLogger NOOP = new RaftLogger() {
        @Override
        public boolean enabled(LogLevel level) {
            return false;
        }

        @Override
        public void log(LogLevel level, String message) {
        }
    };

    boolean enabled(LogLevel level);

    void log(LogLevel level, String message);
}
