/**
 * The plain HTTP endpoints etcd serves on its client port beside gRPC: {@code /version}, and as
 * their capabilities land {@code /health}, {@code /livez}, {@code /readyz}, {@code /metrics}.
 */
package io.etcdj.server.http;
