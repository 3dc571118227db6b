package io.etcdj.tests.differential;

import com.google.protobuf.Message;
import io.etcdj.api.etcdserverpb.CompactionRequest;
import io.etcdj.api.etcdserverpb.DeleteRangeRequest;
import io.etcdj.api.etcdserverpb.KVGrpc;
import io.etcdj.api.etcdserverpb.PutRequest;
import io.etcdj.api.etcdserverpb.RangeRequest;
import io.etcdj.api.etcdserverpb.TxnRequest;
import io.grpc.Grpc;
import io.grpc.InsecureChannelCredentials;
import io.grpc.ManagedChannel;
import io.grpc.StatusRuntimeException;
import java.util.concurrent.TimeUnit;

/**
 * A KV endpoint reached over plain gRPC with the generated blocking stub: no client library in
 * between, so what is compared is exactly what the server put on the wire.
 */
public final class GrpcKvTarget implements KvTarget {

    /** Generous: two cores are shared with other builds, and a compaction may take a moment. */
    private static final long DEADLINE_SECONDS = 20;

    private final String name;
    private final ManagedChannel channel;
    private final KVGrpc.KVBlockingStub kv;
    private final Runnable restarter;

    /** {@code restarter} kills and restarts the server behind the endpoint; null if it cannot. */
    public GrpcKvTarget(String name, String host, int port, Runnable restarter) {
        this.name = name;
        this.channel = Grpc.newChannelBuilderForAddress(host, port, InsecureChannelCredentials.create()).build();
        // Wait for the connection rather than fail at once: after a restart the channel may still
        // be backing off. The deadline bounds the wait.
        this.kv = KVGrpc.newBlockingStub(channel).withWaitForReady();
        this.restarter = restarter;
    }

    /** Parses {@code host:port} as etcdctl's --endpoints takes it. */
    public static GrpcKvTarget forEndpoint(String name, String endpoint, Runnable restarter) {
        int colon = endpoint.lastIndexOf(':');
        return new GrpcKvTarget(name, endpoint.substring(0, colon), Integer.parseInt(endpoint.substring(colon + 1)),
                restarter);
    }

    @Override
    public void killAndRestart() {
        if (restarter == null) {
            KvTarget.super.killAndRestart();
        }
        restarter.run();
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public Outcome call(Message request) {
        KVGrpc.KVBlockingStub stub = kv.withDeadlineAfter(DEADLINE_SECONDS, TimeUnit.SECONDS);
        try {
            return Outcome.ok(switch (request) {
                case RangeRequest r -> stub.range(r);
                case PutRequest r -> stub.put(r);
                case DeleteRangeRequest r -> stub.deleteRange(r);
                case TxnRequest r -> stub.txn(r);
                case CompactionRequest r -> stub.compact(r);
                default -> throw new IllegalArgumentException("not a KV request: " + request.getClass());
            });
        } catch (StatusRuntimeException e) {
            return Outcome.of(e);
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
