package io.etcdj.client;

import io.grpc.ChannelCredentials;
import io.grpc.ClientInterceptor;
import io.grpc.InsecureChannelCredentials;
import io.grpc.ManagedChannel;
import io.grpc.okhttp.OkHttpChannelBuilder;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A fixed number of gRPC connections ({@code --conns}) spread round-robin over the endpoints, as
 * etcd's benchmark does: connection {@code i} goes to endpoint {@code i % endpoints}, and client
 * {@code c} uses connection {@code c % conns}. okhttp rather than netty because it starts in a
 * third of the time (java-stack.md §5) and a CLI pays that on every run.
 */
public final class ChannelPool implements AutoCloseable {

    /** Bounds the pool the same way {@code --conns} is bounded in etcd in practice. */
    public static final int MAX_CONNS = 1024;
    /** Large enough for a 1.5 MiB etcd request limit response plus headroom. */
    private static final int MAX_INBOUND_BYTES = 64 << 20;
    private static final long CLOSE_WAIT_MILLIS = 2_000;

    private final List<ManagedChannel> channels;
    private final List<Endpoints.Endpoint> targets;

    private ChannelPool(List<ManagedChannel> channels, List<Endpoints.Endpoint> targets) {
        this.channels = channels;
        this.targets = targets;
    }

    /** Opens {@code conns} lazy plaintext channels over {@code endpoints}. */
    public static ChannelPool open(List<Endpoints.Endpoint> endpoints, int conns) {
        return open(endpoints, conns, InsecureChannelCredentials.create(), List.of());
    }

    /**
     * Opens {@code conns} lazy channels over {@code endpoints} with {@code credentials} (plaintext or
     * TLS) and {@code interceptors} on every call (e.g. an auth token).
     */
    public static ChannelPool open(List<Endpoints.Endpoint> endpoints, int conns, ChannelCredentials credentials,
            List<ClientInterceptor> interceptors) {
        if (endpoints.isEmpty()) {
            throw new IllegalArgumentException("no endpoints");
        }
        if (conns < 1 || conns > MAX_CONNS) {
            throw new IllegalArgumentException("conns must be in [1, " + MAX_CONNS + "], got " + conns);
        }
        List<ManagedChannel> channels = new ArrayList<>(conns);
        List<Endpoints.Endpoint> targets = new ArrayList<>(conns);
        for (int i = 0; i < conns; i++) {
            Endpoints.Endpoint e = endpoints.get(endpointIndexFor(i, endpoints.size()));
            targets.add(e);
            channels.add(OkHttpChannelBuilder.forAddress(e.host(), e.port(), credentials)
                    .maxInboundMessageSize(MAX_INBOUND_BYTES)
                    .intercept(interceptors)
                    .build());
        }
        return new ChannelPool(List.copyOf(channels), List.copyOf(targets));
    }

    /** Which endpoint connection {@code conn} dials: plain round-robin. */
    static int endpointIndexFor(int conn, int endpointCount) {
        return Math.floorMod(conn, endpointCount);
    }

    /** The connection client number {@code client} shares with the others of its residue class. */
    public ManagedChannel forClient(int client) {
        return channels.get(Math.floorMod(client, channels.size()));
    }

    /** The endpoint behind the connection client {@code client} uses (for tests and diagnostics). */
    public Endpoints.Endpoint endpointForClient(int client) {
        return targets.get(Math.floorMod(client, targets.size()));
    }

    public int size() {
        return channels.size();
    }

    @Override
    public void close() {
        for (ManagedChannel c : channels) {
            c.shutdown();
        }
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(CLOSE_WAIT_MILLIS);
        for (ManagedChannel c : channels) {
            try {
                long left = Math.max(0, deadline - System.nanoTime());
                if (!c.awaitTermination(left, TimeUnit.NANOSECONDS)) {
                    c.shutdownNow();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                c.shutdownNow();
            }
        }
    }
}
