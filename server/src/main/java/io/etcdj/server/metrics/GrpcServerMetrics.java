package io.etcdj.server.metrics;

import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.model.registry.PrometheusRegistry;

/**
 * go-grpc-prometheus's server metrics, which etcd exports and dashboards chart: calls started and
 * handled (by code), messages received and sent, labelled with the gRPC type, service and method.
 */
public final class GrpcServerMetrics {

    final Counter started;
    final Counter handled;
    final Counter received;
    final Counter sent;

    GrpcServerMetrics(PrometheusRegistry registry) {
        started = Counter.builder().name("grpc_server_started_total")
                .help("Total number of RPCs started on the server.")
                .labelNames("grpc_type", "grpc_service", "grpc_method").register(registry);
        handled = Counter.builder().name("grpc_server_handled_total")
                .help("Total number of RPCs completed on the server, regardless of success or failure.")
                .labelNames("grpc_type", "grpc_service", "grpc_method", "grpc_code").register(registry);
        received = Counter.builder().name("grpc_server_msg_received_total")
                .help("Total number of RPC stream messages received on the server.")
                .labelNames("grpc_type", "grpc_service", "grpc_method").register(registry);
        sent = Counter.builder().name("grpc_server_msg_sent_total")
                .help("Total number of gRPC stream messages sent by the server.")
                .labelNames("grpc_type", "grpc_service", "grpc_method").register(registry);
    }
}
