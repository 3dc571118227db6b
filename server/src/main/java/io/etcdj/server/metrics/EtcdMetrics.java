package io.etcdj.server.metrics;

import io.etcdj.server.version.Version;
import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.core.metrics.CounterWithCallback;
import io.prometheus.metrics.core.metrics.Gauge;
import io.prometheus.metrics.core.metrics.GaugeWithCallback;
import io.prometheus.metrics.core.metrics.Histogram;
import io.prometheus.metrics.instrumentation.jvm.JvmMetrics;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.util.function.DoubleSupplier;
import java.util.function.IntSupplier;
import java.util.function.LongSupplier;

/**
 * The Prometheus metrics a member exports, under etcd's exact names, types, labels and histogram
 * buckets, so etcd's dashboards and alert rules work unchanged. One instance per member; the
 * subsystems update the fields they own. Names that etcd declares as gauges despite a
 * {@code _total} suffix (proposals committed/applied) stay gauges.
 */
public final class EtcdMetrics {

    private final PrometheusRegistry registry = new PrometheusRegistry();

    public final Counter leaderChanges = Counter.builder().name("etcd_server_leader_changes_seen_total")
            .help("The number of leader changes seen.").register(registry);
    public final Counter proposalsFailed = Counter.builder().name("etcd_server_proposals_failed_total")
            .help("The total number of failed proposals seen.").register(registry);
    public final Gauge quotaBackendBytes = Gauge.builder().name("etcd_server_quota_backend_bytes")
            .help("Current backend storage quota size in bytes.").register(registry);
    public final Histogram walFsyncSeconds = Histogram.builder().name("etcd_disk_wal_fsync_duration_seconds")
            .help("The latency distributions of fsync called by WAL.")
            .classicExponentialUpperBounds(0.001, 2, 14).register(registry);
    public final Counter walWriteBytes = Counter.builder().name("etcd_disk_wal_write_bytes_total")
            .help("Total number of bytes written in WAL.").register(registry);
    public final Histogram backendCommitSeconds = Histogram.builder().name("etcd_disk_backend_commit_duration_seconds")
            .help("The latency distributions of commit called by backend.")
            .classicExponentialUpperBounds(0.001, 2, 14).register(registry);
    public final GrpcServerMetrics grpc = new GrpcServerMetrics(registry);

    public EtcdMetrics() {
        Gauge.builder().name("etcd_server_version").help("Which version is running. 1 for 'server_version' label with current version.")
                .labelNames("server_version").register(registry).labelValues(Version.API).set(1);
        Gauge.builder().name("etcd_cluster_version").help("Which version is running. 1 for 'cluster_version' label with current cluster version")
                .labelNames("cluster_version").register(registry).labelValues(Version.clusterVersion()).set(1);
        // process_* (cpu, open fds, resident memory, start time) as Go's collector names them, plus jvm_*.
        JvmMetrics.builder().register(registry);
    }

    /**
     * Binds the gauges read from the running member at scrape time: leadership, raft progress,
     * waiting proposals and backend size. Called once, when the member has started.
     */
    public void bindMember(long memberId, LongSupplier leader, LongSupplier committed, LongSupplier applied,
            IntSupplier pending, LongSupplier dbSize, LongSupplier dbSizeInUse) {
        gauge("etcd_server_has_leader", "Whether or not a leader exists. 1 is existence, 0 is not.",
                () -> leader.getAsLong() != 0 ? 1 : 0);
        gauge("etcd_server_is_leader", "Whether or not this member is a leader. 1 if is, 0 otherwise.",
                () -> leader.getAsLong() == memberId ? 1 : 0);
        gauge("etcd_server_proposals_committed_total", "The total number of consensus proposals committed.",
                committed::getAsLong);
        gauge("etcd_server_proposals_applied_total", "The total number of consensus proposals applied.",
                applied::getAsLong);
        gauge("etcd_server_proposals_pending", "The current number of pending proposals to commit.",
                pending::getAsInt);
        gauge("etcd_mvcc_db_total_size_in_bytes",
                "Total size of the underlying database physically allocated in bytes.", dbSize::getAsLong);
        gauge("etcd_mvcc_db_total_size_in_use_in_bytes",
                "Total size of the underlying database logically in use in bytes.", dbSizeInUse::getAsLong);
    }

    /**
     * Binds etcd's watch metrics (server/storage/mvcc/metrics.go): four gauges despite their
     * {@code _total} names, and one counter. Called once, when the watch service has started.
     */
    public void bindWatch(LongSupplier streams, LongSupplier watchers, LongSupplier slowWatchers,
            LongSupplier pendingEvents, LongSupplier eventsSent) {
        gauge("etcd_debugging_mvcc_watch_stream_total", "Total number of watch streams.", streams::getAsLong);
        gauge("etcd_debugging_mvcc_watcher_total", "Total number of watchers.", watchers::getAsLong);
        gauge("etcd_debugging_mvcc_slow_watcher_total", "Total number of unsynced slow watchers.",
                slowWatchers::getAsLong);
        gauge("etcd_debugging_mvcc_pending_events_total", "Total number of pending events to be sent.",
                pendingEvents::getAsLong);
        CounterWithCallback.builder().name("etcd_debugging_mvcc_events_total")
                .help("Total number of events sent by this member.")
                .callback(cb -> cb.call(eventsSent.getAsLong())).register(registry);
    }

    private void gauge(String name, String help, DoubleSupplier value) {
        GaugeWithCallback.builder().name(name).help(help).callback(cb -> cb.call(value.getAsDouble())).register(registry);
    }

    public PrometheusRegistry registry() {
        return registry;
    }
}
