/**
 * Prometheus metrics under etcd's names, types, labels and buckets
 * ({@link io.etcdj.server.metrics.EtcdMetrics}), including go-grpc-prometheus's server metrics
 * counted by {@link io.etcdj.server.metrics.GrpcMetricsInterceptor}; exported on {@code /metrics}.
 */
package io.etcdj.server.metrics;
