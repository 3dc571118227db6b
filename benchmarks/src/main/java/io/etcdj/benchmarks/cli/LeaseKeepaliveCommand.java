package io.etcdj.benchmarks.cli;

import io.etcdj.api.etcdserverpb.LeaseGrantRequest;
import io.etcdj.api.etcdserverpb.LeaseGrpc;
import io.etcdj.api.etcdserverpb.LeaseKeepAliveRequest;
import io.etcdj.api.etcdserverpb.LeaseKeepAliveResponse;
import io.etcdj.client.ChannelPool;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.ClientCallStreamObserver;
import io.grpc.stub.StreamObserver;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

/**
 * {@code benchmark lease-keepalive}: etcd's keep-alive load. Each client grants one lease (TTL
 * 100 s) before the clock starts; then {@code --total} requests are one keep-alive each, made the
 * way etcd's {@code KeepAliveOnce} makes it: a new LeaseKeepAlive stream, one request, the first
 * response, stream closed (half-closed here; etcd's client cancels it, see docs/benchmarks.md).
 */
@Command(name = "lease-keepalive", mixinStandardHelpOptions = true, description = "Benchmark lease keepalive")
final class LeaseKeepaliveCommand implements Runnable {

    /** The TTL etcd's tool grants its leases with. */
    static final long LEASE_TTL_SECS = 100;

    @ParentCommand
    BenchmarkCommand root;

    @Option(names = "--total", defaultValue = "10000", description = "Total number of lease keepalive requests")
    long total;

    @Override
    public void run() {
        long[] leases = new long[root.clients];
        root.runAndReport("lease-keepalive", total, 0, pool -> grantAll(pool, leases),
                (channel, client, seq) -> keepAliveOnce(channel, leases[client]));
    }

    private void grantAll(ChannelPool pool, long[] leases) {
        for (int c = 0; c < leases.length; c++) {
            leases[c] = LeaseGrpc.newBlockingStub(pool.forClient(c))
                    .withDeadlineAfter(LoadRunner.REQUEST_DEADLINE_SECS, TimeUnit.SECONDS)
                    .leaseGrant(LeaseGrantRequest.newBuilder().setTTL(LEASE_TTL_SECS).build()).getID();
        }
    }

    /** One keep-alive on a stream of its own; throws StatusRuntimeException as a blocking stub would. */
    static long keepAliveOnce(ManagedChannel channel, long leaseId) {
        CompletableFuture<LeaseKeepAliveResponse> first = new CompletableFuture<>();
        ClientCallStreamObserver<LeaseKeepAliveRequest> req = (ClientCallStreamObserver<LeaseKeepAliveRequest>)
                LeaseGrpc.newStub(channel).leaseKeepAlive(new StreamObserver<>() {
                    @Override
                    public void onNext(LeaseKeepAliveResponse r) {
                        first.complete(r);
                    }

                    @Override
                    public void onError(Throwable t) {
                        first.completeExceptionally(t);
                    }

                    @Override
                    public void onCompleted() {
                        first.completeExceptionally(Status.UNAVAILABLE
                                .withDescription("keep-alive stream ended without a response").asRuntimeException());
                    }
                });
        try {
            req.onNext(LeaseKeepAliveRequest.newBuilder().setID(leaseId).build());
            LeaseKeepAliveResponse r = first.get(LoadRunner.REQUEST_DEADLINE_SECS, TimeUnit.SECONDS);
            if (r.getTTL() <= 0) {
                throw Status.NOT_FOUND.withDescription("etcdserver: requested lease not found").asRuntimeException();
            }
            return r.getTTL();
        } catch (ExecutionException e) {
            throw e.getCause() instanceof StatusRuntimeException s ? s
                    : Status.fromThrowable(e.getCause()).asRuntimeException();
        } catch (TimeoutException e) {
            throw Status.DEADLINE_EXCEEDED.withDescription("no keep-alive response").asRuntimeException();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw Status.CANCELLED.withDescription("interrupted").asRuntimeException();
        } finally {
            // A half-close, not a cancel: etcd ends the stream when the client does, and a cancel
            // is an RST_STREAM, which servers with rapid-reset protection count against the connection.
            req.onCompleted();
        }
    }
}
