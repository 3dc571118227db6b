package io.etcdj.server.metrics;

import io.etcdj.server.version.Version;
import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.core.metrics.Gauge;
import io.prometheus.metrics.core.metrics.Histogram;
import io.prometheus.metrics.instrumentation.jvm.JvmMetrics;
import io.prometheus.metrics.model.registry.PrometheusRegistry;

/**
 * The Prometheus metrics a member exports, under etcd's exact names, types, labels and histogram
 * buckets, so etcd's dashboards and alert rules work unchanged. One instance per member; the
 * subsystems update the fields they own. Names that etcd declares as gauges despite a
 * {@code _total} suffix (proposals committed/applied) stay gauges.
 */
public final class EtcdMetrics {

    private final PrometheusRegistry registry = new PrometheusRegistry();

    public final Gauge hasLeader = Gauge.builder().name("etcd_server_has_leader")
            .help("Whether or not a leader exists. 1 is existence, 0 is not.").register(registry);
    public final Gauge isLeader = Gauge.builder().name("etcd_server_is_leader")
            .help("Whether or not this member is a leader. 1 if is, 0 otherwise.").register(registry);
    public final Counter leaderChanges = Counter.builder().name("etcd_server_leader_changes_seen_total")
            .help("The number of leader changes seen.").register(registry);
    public final Gauge proposalsCommitted = Gauge.builder().name("etcd_server_proposals_committed_total")
            .help("The total number of consensus proposals committed.").register(registry);
    public final Gauge proposalsApplied = Gauge.builder().name("etcd_server_proposals_applied_total")
            .help("The total number of consensus proposals applied.").register(registry);
    public final Gauge proposalsPending = Gauge.builder().name("etcd_server_proposals_pending")
            .help("The current number of pending proposals to commit.").register(registry);
    public final Counter proposalsFailed = Counter.builder().name("etcd_server_proposals_failed_total")
            .help("The total number of failed proposals seen.").register(registry);
    public final Gauge quotaBackendBytes = Gauge.builder().name("etcd_server_quota_backend_bytes")
            .help("Current backend storage quota size in bytes.").register(registry);
    public final Gauge dbTotalSizeBytes = Gauge.builder().name("etcd_mvcc_db_total_size_in_bytes")
            .help("Total size of the underlying database physically allocated in bytes.").register(registry);
    public final Gauge dbInUseSizeBytes = Gauge.builder().name("etcd_mvcc_db_total_size_in_use_in_bytes")
            .help("Total size of the underlying database logically in use in bytes.").register(registry);
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

    public PrometheusRegistry registry() {
        return registry;
    }
}
