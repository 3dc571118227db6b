package io.etcdj.server.storage.wal;

/**
 * Hooks the server binds to Prometheus: etcd's {@code etcd_disk_wal_fsync_duration_seconds}
 * (histogram) and {@code etcd_disk_wal_write_bytes_total} (counter). Called on the WAL's writer
 * thread, so implementations must be cheap and must not block.
 */
public interface WalMetrics {

    WalMetrics NONE = new WalMetrics() {
        @Override
        public void fsyncCompleted(long durationNanos) {
        }

        @Override
        public void bytesWritten(long bytes) {
        }
    };

    /** One fsync of a WAL file finished after {@code durationNanos}. */
    void fsyncCompleted(long durationNanos);

    /** {@code bytes} were handed to the OS for the WAL (before fsync). */
    void bytesWritten(long bytes);
}
