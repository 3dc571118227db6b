package io.etcdj.server.v3rpc;

import com.google.protobuf.MessageLite;
import io.etcdj.api.etcdserverpb.CompactionRequest;
import io.etcdj.api.etcdserverpb.CompactionResponse;
import io.etcdj.api.etcdserverpb.DeleteRangeRequest;
import io.etcdj.api.etcdserverpb.DeleteRangeResponse;
import io.etcdj.api.etcdserverpb.KVGrpc;
import io.etcdj.api.etcdserverpb.PutRequest;
import io.etcdj.api.etcdserverpb.PutResponse;
import io.etcdj.api.etcdserverpb.RangeRequest;
import io.etcdj.api.etcdserverpb.RangeResponse;
import io.etcdj.api.etcdserverpb.RangeStreamResponse;
import io.etcdj.api.etcdserverpb.TxnRequest;
import io.etcdj.api.etcdserverpb.TxnResponse;
import io.etcdj.api.rpctypes.EtcdError;
import io.etcdj.server.apply.KvApplier;
import io.etcdj.server.etcdserver.KvServer;
import io.grpc.stub.StreamObserver;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;

/**
 * etcd's KV gRPC service (v3rpc kvServer): checks each request's shape as etcd does, in etcd's
 * order and with etcd's errors ({@link KvRequestChecks}), refuses write requests whose raft
 * proposal would exceed {@code maxRequestBytes}, then hands the request to the server core and
 * relays its answer or its error ({@link KvErrors}). Nothing here touches the store.
 */
public final class KvService extends KVGrpc.KVImplBase {
    private final KvServer server;
    private final KvLimits limits;

    public KvService(KvServer server, KvLimits limits) {
        if (server == null || limits == null) {
            throw new IllegalArgumentException("server and limits are required");
        }
        this.server = server;
        this.limits = limits;
    }

    @Override
    public void range(RangeRequest request, StreamObserver<RangeResponse> out) {
        relay(out, () -> {
            KvRequestChecks.checkRange(request);
            return server.range(request);
        });
    }

    @Override
    public void put(PutRequest request, StreamObserver<PutResponse> out) {
        relay(out, () -> {
            KvRequestChecks.checkPut(request);
            checkSize(RaftRequestSize.PUT_FIELD, request);
            return server.put(request);
        });
    }

    @Override
    public void deleteRange(DeleteRangeRequest request, StreamObserver<DeleteRangeResponse> out) {
        relay(out, () -> {
            KvRequestChecks.checkDelete(request);
            checkSize(RaftRequestSize.DELETE_RANGE_FIELD, request);
            return server.deleteRange(request);
        });
    }

    @Override
    public void txn(TxnRequest request, StreamObserver<TxnResponse> out) {
        relay(out, () -> {
            KvRequestChecks.checkTxn(request, limits.maxTxnOps());
            // A read-only txn is served without raft, so etcd never measures it as a proposal.
            if (!KvApplier.isReadOnly(request)) {
                checkSize(RaftRequestSize.TXN_FIELD, request);
            }
            return server.txn(request);
        });
    }

    @Override
    public void compact(CompactionRequest request, StreamObserver<CompactionResponse> out) {
        // etcd's v3rpc checks nothing in a compaction; the revision rules are the store's.
        relay(out, () -> {
            checkSize(RaftRequestSize.COMPACTION_FIELD, request);
            return server.compact(request);
        });
    }

    /**
     * etcd 3.7's streaming Range: the same answer as {@link #range}, its kvs split over several
     * messages of at most about {@code maxRequestBytes} each; header, more and count travel in the
     * last message, so merging every message gives exactly the unary answer.
     */
    @Override
    public void rangeStream(RangeRequest request, StreamObserver<RangeStreamResponse> out) {
        CompletableFuture<RangeResponse> answer;
        try {
            KvRequestChecks.checkRange(request);
            answer = server.range(request);
        } catch (RuntimeException e) {
            out.onError(KvErrors.toStatus(e));
            return;
        }
        answer.whenComplete((response, error) -> {
            if (error != null) {
                out.onError(KvErrors.toStatus(error));
                return;
            }
            for (RangeStreamResponse chunk : RangeChunks.split(response, limits.maxRequestBytes())) {
                out.onNext(chunk);
            }
            out.onCompleted();
        });
    }

    private void checkSize(int field, MessageLite request) {
        if (RaftRequestSize.of(field, request) > limits.maxRequestBytes()) {
            throw EtcdError.REQUEST_TOO_LARGE.asException();
        }
    }

    /** Runs the checks and the call; any failure, synchronous or not, becomes etcd's status. */
    private static <T> void relay(StreamObserver<T> out, Supplier<CompletableFuture<T>> call) {
        CompletableFuture<T> answer;
        try {
            answer = call.get();
        } catch (RuntimeException e) {
            out.onError(KvErrors.toStatus(e));
            return;
        }
        if (answer == null) {
            throw new IllegalStateException("KvServer returned no future");
        }
        answer.whenComplete((response, error) -> {
            if (error != null) {
                out.onError(KvErrors.toStatus(error));
            } else {
                out.onNext(response);
                out.onCompleted();
            }
        });
    }
}
