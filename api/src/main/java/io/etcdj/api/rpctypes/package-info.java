/**
 * etcd's server errors as they appear on the wire: a gRPC status code plus an exact message.
 *
 * <p>Clients do not look at codes alone: etcd's Go client turns a status back into a typed error by
 * its message, and Kubernetes string-matches some messages (the compaction error above all). So the
 * server raises every error through {@link io.etcdj.api.rpctypes.EtcdError#asException()}, never by
 * building a {@code Status} with its own text, and the Java client decodes with
 * {@link io.etcdj.api.rpctypes.EtcdError#fromStatus(io.grpc.Status)}.
 *
 * <p>The table follows etcd's {@code api/v3rpc/rpctypes/error.go} (3.6 and later). The messages are
 * facts of the protocol; the names are ours, written after etcd's {@code ErrGRPC...} variables.
 */
package io.etcdj.api.rpctypes;
