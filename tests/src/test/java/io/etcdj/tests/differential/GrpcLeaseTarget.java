package io.etcdj.tests.differential;

import com.google.protobuf.Message;
import io.etcdj.api.etcdserverpb.KVGrpc;
import io.etcdj.api.etcdserverpb.LeaseGrantRequest;
import io.etcdj.api.etcdserverpb.LeaseGrpc;
import io.etcdj.api.etcdserverpb.LeaseKeepAliveRequest;
import io.etcdj.api.etcdserverpb.LeaseKeepAliveResponse;
import io.etcdj.api.etcdserverpb.LeaseLeasesRequest;
import io.etcdj.api.etcdserverpb.LeaseRevokeRequest;
import io.etcdj.api.etcdserverpb.LeaseTimeToLiveRequest;
import io.etcdj.api.etcdserverpb.PutRequest;
import io.etcdj.api.etcdserverpb.RangeRequest;
import io.grpc.Grpc;
import io.grpc.InsecureChannelCredentials;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.StreamObserver;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Lease and KV requests over plain gRPC with the generated stubs (no client library in between);
 * a keep-alive is one request and one answer on a fresh bidi stream.
 */
final class GrpcLeaseTarget implements LeaseTarget {

    private static final long DEADLINE_SECONDS = 20;

    private final String name;
    private final ManagedChannel channel;
    private final KVGrpc.KVBlockingStub kv;
    private final LeaseGrpc.LeaseBlockingStub lease;
    private final LeaseGrpc.LeaseStub leaseAsync;

    GrpcLeaseTarget(String name, String endpoint) {
        this.name = name;
        int colon = endpoint.lastIndexOf(':');
        this.channel = Grpc.newChannelBuilderForAddress(endpoint.substring(0, colon),
                Integer.parseInt(endpoint.substring(colon + 1)), InsecureChannelCredentials.create()).build();
        this.kv = KVGrpc.newBlockingStub(channel).withWaitForReady();
        this.lease = LeaseGrpc.newBlockingStub(channel).withWaitForReady();
        this.leaseAsync = LeaseGrpc.newStub(channel).withWaitForReady();
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public Outcome call(Message request) {
        try {
            return Outcome.ok(switch (request) {
                case LeaseGrantRequest r -> lease.withDeadlineAfter(DEADLINE_SECONDS, TimeUnit.SECONDS).leaseGrant(r);
                case LeaseRevokeRequest r -> lease.withDeadlineAfter(DEADLINE_SECONDS, TimeUnit.SECONDS).leaseRevoke(r);
                case LeaseTimeToLiveRequest r -> lease.withDeadlineAfter(DEADLINE_SECONDS, TimeUnit.SECONDS).leaseTimeToLive(r);
                case LeaseLeasesRequest r -> lease.withDeadlineAfter(DEADLINE_SECONDS, TimeUnit.SECONDS).leaseLeases(r);
                case LeaseKeepAliveRequest r -> keepAliveOnce(r);
                case PutRequest r -> kv.withDeadlineAfter(DEADLINE_SECONDS, TimeUnit.SECONDS).put(r);
                case RangeRequest r -> kv.withDeadlineAfter(DEADLINE_SECONDS, TimeUnit.SECONDS).range(r);
                default -> throw new IllegalArgumentException("not a lease-run request: " + request.getClass());
            });
        } catch (StatusRuntimeException e) {
            return Outcome.of(e);
        }
    }

    private LeaseKeepAliveResponse keepAliveOnce(LeaseKeepAliveRequest request) {
        CompletableFuture<LeaseKeepAliveResponse> first = new CompletableFuture<>();
        StreamObserver<LeaseKeepAliveRequest> requests = leaseAsync.withDeadlineAfter(DEADLINE_SECONDS, TimeUnit.SECONDS)
                .leaseKeepAlive(new StreamObserver<>() {
                    @Override
                    public void onNext(LeaseKeepAliveResponse response) {
                        first.complete(response);
                    }

                    @Override
                    public void onError(Throwable error) {
                        first.completeExceptionally(error);
                    }

                    @Override
                    public void onCompleted() {
                        first.completeExceptionally(Status.INTERNAL.withDescription("stream ended without an answer")
                                .asRuntimeException());
                    }
                });
        requests.onNext(request);
        try {
            return first.get(DEADLINE_SECONDS, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            throw e.getCause() instanceof StatusRuntimeException s ? s
                    : Status.fromThrowable(e.getCause()).asRuntimeException();
        } catch (TimeoutException e) {
            throw Status.DEADLINE_EXCEEDED.withDescription("no keep-alive answer").asRuntimeException();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw Status.CANCELLED.asRuntimeException();
        } finally {
            requests.onCompleted();
        }
    }

    @Override
    public void close() {
        channel.shutdownNow();
        try {
            channel.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
