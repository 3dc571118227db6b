package io.etcdj.server.v3rpc;

import io.etcdj.api.rpctypes.EtcdError;
import io.etcdj.server.mvcc.CompactedException;
import io.etcdj.server.mvcc.FutureRevisionException;
import io.grpc.Status;
import io.grpc.StatusException;
import io.grpc.StatusRuntimeException;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;

/**
 * etcd's togRPCError for the KV service: errors that already carry a gRPC status pass through,
 * the MVCC revision errors become etcd's, anything else is UNKNOWN with its message, as grpc-go
 * answers a plain Go error.
 */
final class KvErrors {
    private KvErrors() {
    }

    static StatusRuntimeException toStatus(Throwable error) {
        Throwable e = error;
        while ((e instanceof CompletionException || e instanceof ExecutionException) && e.getCause() != null) {
            e = e.getCause();
        }
        if (e instanceof StatusRuntimeException s) {
            return s;
        }
        if (e instanceof StatusException s) {
            return s.getStatus().asRuntimeException(s.getTrailers());
        }
        if (e instanceof CompactedException) {
            return EtcdError.COMPACTED.asException();
        }
        if (e instanceof FutureRevisionException) {
            return EtcdError.FUTURE_REV.asException();
        }
        return Status.UNKNOWN.withDescription(String.valueOf(e.getMessage())).withCause(e).asRuntimeException();
    }
}
