package io.etcdj.server.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import io.grpc.MethodDescriptor;
import io.grpc.Status;
import io.prometheus.metrics.expositionformats.PrometheusTextFormatWriter;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class EtcdMetricsTest {

    private static String exposition(EtcdMetrics metrics) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        PrometheusTextFormatWriter.create().write(out, metrics.registry().scrape());
        return out.toString(StandardCharsets.UTF_8);
    }

    @Test
    void exportsEtcdsNamesAndTypes() throws Exception {
        EtcdMetrics metrics = new EtcdMetrics();
        metrics.bindMember(7, () -> 7, () -> 42, () -> 41, () -> 1, () -> 4096, () -> 2048);
        metrics.walFsyncSeconds.observe(0.0015);

        String text = exposition(metrics);

        assertThat(text).contains("etcd_server_has_leader 1.0")
                .contains("etcd_server_is_leader 1.0")
                .contains("etcd_server_proposals_applied_total 41.0")
                .contains("etcd_mvcc_db_total_size_in_bytes 4096.0")
                .contains("# TYPE etcd_server_proposals_committed_total gauge")
                .contains("etcd_server_proposals_committed_total 42.0")
                .contains("# TYPE etcd_server_proposals_failed_total counter")
                .contains("etcd_server_version{server_version=\"3.6.0\"} 1.0")
                .contains("process_resident_memory_bytes");
    }

    @Test
    void watchMetricsHaveEtcdsNamesHelpAndTypes() throws Exception {
        EtcdMetrics metrics = new EtcdMetrics();
        metrics.bindWatch(() -> 2, () -> 5, () -> 1, () -> 3, () -> 40);

        String text = exposition(metrics);

        assertThat(text).contains("# TYPE etcd_debugging_mvcc_watch_stream_total gauge")
                .contains("# HELP etcd_debugging_mvcc_watch_stream_total Total number of watch streams.")
                .contains("etcd_debugging_mvcc_watch_stream_total 2.0")
                .contains("# TYPE etcd_debugging_mvcc_watcher_total gauge")
                .contains("etcd_debugging_mvcc_watcher_total 5.0")
                .contains("# HELP etcd_debugging_mvcc_slow_watcher_total Total number of unsynced slow watchers.")
                .contains("etcd_debugging_mvcc_slow_watcher_total 1.0")
                .contains("# HELP etcd_debugging_mvcc_pending_events_total Total number of pending events to be sent.")
                .contains("etcd_debugging_mvcc_pending_events_total 3.0")
                .contains("# TYPE etcd_debugging_mvcc_events_total counter")
                .contains("# HELP etcd_debugging_mvcc_events_total Total number of events sent by this member.")
                .contains("etcd_debugging_mvcc_events_total 40.0");
    }

    @Test
    void histogramsUseEtcdsExponentialBuckets() throws Exception {
        EtcdMetrics metrics = new EtcdMetrics();
        metrics.walFsyncSeconds.observe(0.0015);

        String text = exposition(metrics);

        assertThat(text).contains("etcd_disk_wal_fsync_duration_seconds_bucket{le=\"0.001\"} 0")
                .contains("etcd_disk_wal_fsync_duration_seconds_bucket{le=\"0.002\"} 1")
                .contains("etcd_disk_wal_fsync_duration_seconds_bucket{le=\"8.192\"} 1")
                .doesNotContain("le=\"16.384\"");
    }

    @Test
    void grpcLabelsAreGoGrpcPrometheuss() {
        assertThat(GrpcMetricsInterceptor.codeLabel(Status.Code.OK)).isEqualTo("OK");
        assertThat(GrpcMetricsInterceptor.codeLabel(Status.Code.DEADLINE_EXCEEDED)).isEqualTo("DeadlineExceeded");
        assertThat(GrpcMetricsInterceptor.codeLabel(Status.Code.UNIMPLEMENTED)).isEqualTo("Unimplemented");
        assertThat(GrpcMetricsInterceptor.typeLabel(MethodDescriptor.MethodType.BIDI_STREAMING)).isEqualTo("bidi_stream");
        assertThat(GrpcMetricsInterceptor.typeLabel(MethodDescriptor.MethodType.SERVER_STREAMING)).isEqualTo("server_stream");
    }
}
