package io.etcdj.server.concurrency;

import io.etcdj.api.etcdserverpb.DeleteRangeRequest;
import io.etcdj.api.etcdserverpb.DeleteRangeResponse;
import io.etcdj.api.etcdserverpb.KVGrpc;
import io.etcdj.api.etcdserverpb.LeaseGrantRequest;
import io.etcdj.api.etcdserverpb.LeaseGrantResponse;
import io.etcdj.api.etcdserverpb.LeaseGrpc;
import io.etcdj.api.etcdserverpb.RangeRequest;
import io.etcdj.api.etcdserverpb.RangeResponse;
import io.etcdj.api.etcdserverpb.TxnRequest;
import io.etcdj.api.etcdserverpb.TxnResponse;
import io.etcdj.api.etcdserverpb.WatchResponse;
import io.etcdj.server.watch.HubStream;
import io.etcdj.server.watch.WatchHub;
import io.grpc.stub.StreamObserver;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;

/**
 * The member's own services seen as a client, like etcd's in-process {@code v3client}: KV and
 * Lease requests enter the same gRPC service objects a remote client reaches (so they pass the
 * same checks and limits and fail with the same errors), watches open a stream on the member's
 * watch hub. Answers come back as futures; nothing here blocks.
 */
public final class LocalClient {
    private final KVGrpc.KVImplBase kv;
    private final LeaseGrpc.LeaseImplBase lease;
    private final WatchHub watches;

    public LocalClient(KVGrpc.KVImplBase kv, LeaseGrpc.LeaseImplBase lease, WatchHub watches) {
        this.kv = kv;
        this.lease = lease;
        this.watches = watches;
    }

    CompletableFuture<RangeResponse> range(RangeRequest request) {
        return unary(out -> kv.range(request, out));
    }

    CompletableFuture<TxnResponse> txn(TxnRequest request) {
        return unary(out -> kv.txn(request, out));
    }

    CompletableFuture<DeleteRangeResponse> deleteRange(DeleteRangeRequest request) {
        return unary(out -> kv.deleteRange(request, out));
    }

    CompletableFuture<LeaseGrantResponse> leaseGrant(LeaseGrantRequest request) {
        return unary(out -> lease.leaseGrant(request, out));
    }

    /** A watch stream whose responses go to {@code observer} from the hub's sender thread. */
    HubStream openWatch(StreamObserver<WatchResponse> observer) {
        return watches.openStream(observer);
    }

    private static <T> CompletableFuture<T> unary(Consumer<StreamObserver<T>> method) {
        CompletableFuture<T> answer = new CompletableFuture<>();
        method.accept(new StreamObserver<>() {
            @Override
            public void onNext(T value) {
                answer.complete(value);
            }

            @Override
            public void onError(Throwable error) {
                answer.completeExceptionally(error);
            }

            @Override
            public void onCompleted() {
                answer.completeExceptionally(new IllegalStateException("the service completed without an answer"));
            }
        });
        return answer;
    }
}
