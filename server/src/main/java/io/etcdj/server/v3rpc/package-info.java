/**
 * The etcd v3 gRPC services (KV, Watch, Lease, Cluster, Maintenance, Auth): request validation,
 * etcd's errors, and the hand-off to the server core. Lock and Election live in {@code
 * io.etcdj.server.concurrency}. Services not yet built answer {@code UNIMPLEMENTED} ({@link
 * io.etcdj.server.v3rpc.UnimplementedServices}).
 */
package io.etcdj.server.v3rpc;
