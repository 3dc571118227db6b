package io.etcdj.server.embed;

import com.linecorp.armeria.common.grpc.GrpcSerializationFormats;
import com.linecorp.armeria.server.Server;
import com.linecorp.armeria.server.ServerBuilder;
import com.linecorp.armeria.server.grpc.GrpcService;
import com.linecorp.armeria.server.grpc.GrpcServiceBuilder;
import com.linecorp.armeria.server.prometheus.PrometheusExpositionService;
import io.etcdj.api.etcdserverpb.WatchGrpc;
import io.etcdj.server.concurrency.ElectionService;
import io.etcdj.server.concurrency.LocalClient;
import io.etcdj.server.concurrency.LockService;
import io.etcdj.server.config.ServerConfig;
import io.etcdj.server.etcdserver.Member;
import io.etcdj.server.http.HealthService;
import io.etcdj.server.http.ProbeService;
import io.etcdj.server.http.VersionService;
import io.etcdj.server.metrics.EtcdMetrics;
import io.etcdj.server.metrics.GrpcMetricsInterceptor;
import io.etcdj.server.v3rpc.CoalescedResponse;
import io.etcdj.server.v3rpc.KvLimits;
import io.etcdj.server.v3rpc.KvService;
import io.etcdj.server.v3rpc.LeaseService;
import io.etcdj.server.v3rpc.MaintenanceService;
import io.etcdj.server.v3rpc.RequireLeader;
import io.etcdj.server.v3rpc.ServerKeepAlive;
import io.etcdj.server.v3rpc.UnimplementedServices;
import io.etcdj.server.v3rpc.WatchService;
import io.etcdj.server.watch.WatchConfig;
import io.etcdj.server.watch.WatchStats;
import io.grpc.BindableService;
import io.grpc.ServerInterceptors;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A running etcd member's client-facing side: one Armeria server per process serving gRPC
 * (HTTP/2, h2c), and plain HTTP endpoints, on every {@code --listen-client-urls} address — the
 * same single port etcd's cmux gives its clients.
 */
public final class Etcd implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(Etcd.class);

    /** gRPC framing overhead etcd allows on top of --max-request-bytes. */
    private static final int GRPC_OVERHEAD_BYTES = 512 * 1024;
    /** HTTP/2 RST_STREAM frames a connection may send per window before it is closed (see build). */
    static final int RESET_FRAMES_PER_WINDOW = 100_000;
    static final int RESET_WINDOW_SECONDS = 10;

    private final ServerConfig config;
    private final Member member;
    private final Server server;
    private final WatchService watch;
    private final ScheduledExecutorService leaderMonitor;
    private final LockService lock;
    private final ElectionService election;

    private Etcd(ServerConfig config, Member member, Server server, WatchService watch,
            ScheduledExecutorService leaderMonitor, LockService lock, ElectionService election) {
        this.leaderMonitor = leaderMonitor;
        this.config = config;
        this.member = member;
        this.server = server;
        this.watch = watch;
        this.lock = lock;
        this.election = election;
    }

    /**
     * Opens the member's data dir, starts its server core, then binds every client URL and starts
     * serving. {@code fatal} is told of an error that stops the core (a failed fsync, say): the
     * member must not go on serving after it.
     */
    public static Etcd start(ServerConfig config, Consumer<Throwable> fatal) {
        // Armeria, Netty and Jackson spend seconds in class initialisation on a loaded 2-core
        // machine; do it on another core while the member opens its storage and elects itself.
        Thread warmUp = Thread.ofPlatform().name("etcd-warm-up").start(() -> {
            GrpcService.builder();
            Server.builder();
        });
        EtcdMetrics metrics = new EtcdMetrics();
        Member member;
        try {
            member = Member.start(config, metrics, fatal);
            warmUp.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted during start-up", e);
        } catch (IOException e) {
            throw new UncheckedIOException("opening data dir " + config.dataDir() + ": " + e.getMessage(), e);
        }
        WatchService watch = WatchService.start(member,
                WatchConfig.defaults().withMaxResponseBytes(config.maxRequestBytes() + GRPC_OVERHEAD_BYTES)
                        .withProgressNotifyInterval(config.watchProgressNotifyInterval()));
        WatchStats watchStats = watch.hub().stats();
        metrics.bindWatch(watchStats::streams, watchStats::watchers, watchStats::slowWatchers,
                watchStats::pendingEvents, watchStats::eventsSent);
        KvService kv = new KvService(member.server(), new KvLimits(config.maxTxnOps(), config.maxRequestBytes()));
        LeaseService lease = new LeaseService(member.server(), member.lessor());
        // Lock and Election reach the member through its own services, as etcd's do through v3client.
        LocalClient local = new LocalClient(kv, lease, watch.hub());
        LockService lock = new LockService(local);
        ElectionService election = new ElectionService(local);
        List<BindableService> services = UnimplementedServices.completing(List.of(
                watch, kv, lease, lock, election,
                new MaintenanceService(member.server(), member.backend(), member.mvcc(), config.quotaBackendBytes())));
        RequireLeader requireLeader = new RequireLeader(member.server()::leader);
        ScheduledExecutorService leaderMonitor = Executors.newSingleThreadScheduledExecutor(
                Thread.ofPlatform().name("leader-monitor").daemon(true).factory());
        // etcd's monitorLeader: one check per election timeout.
        leaderMonitor.scheduleWithFixedDelay(requireLeader::checkLeader, config.electionTimeoutMs(),
                config.electionTimeoutMs(), TimeUnit.MILLISECONDS);
        Server server;
        try {
            server = buildServer(config, metrics, services, member, requireLeader);
            server.start().join();
        } catch (RuntimeException e) {
            leaderMonitor.shutdownNow();
            lock.close();
            election.close();
            watch.close();
            member.close();
            throw e;
        }
        Etcd etcd = new Etcd(config, member, server, watch, leaderMonitor, lock, election);
        for (URI url : config.listenClientUrls()) {
            log.atInfo().addKeyValue("address", url.toString())
                    .log("serving client traffic insecurely; this is strongly discouraged!");
        }
        log.atInfo().addKeyValue("name", config.name()).addKeyValue("data-dir", config.dataDir().toString())
                .addKeyValue("advertise-client-urls", config.advertiseClientUrls().toString())
                .log("ready to serve client requests");
        return etcd;
    }

    static Server buildServer(ServerConfig config, EtcdMetrics metrics, List<BindableService> services, Member member,
            RequireLeader requireLeader) {
        GrpcServiceBuilder grpc = GrpcService.builder()
                // Binary gRPC only, as etcd serves it. Armeria's default also accepts gRPC-JSON and
                // gRPC-Web, and for JSON generates a marshaller class per message type with
                // ByteBuddy (~1,000 extra classes, ≈ 5 MiB of metaspace and a second of start-up).
                .supportedSerializationFormats(GrpcSerializationFormats.PROTO)
                .maxRequestMessageLength((int) config.maxRequestBytes() + GRPC_OVERHEAD_BYTES)
                .maxResponseMessageLength(Integer.MAX_VALUE);
        GrpcMetricsInterceptor counting = new GrpcMetricsInterceptor(metrics.grpc);
        // The last interceptor runs first: a call refused for want of a leader is still counted.
        services.forEach(service -> grpc.addService(ServerInterceptors.intercept(service, requireLeader, counting)));
        ServerBuilder builder = Server.builder()
                // Watch and keep-alive streams live for hours: no request timeout, no idle
                // timeout (etcd has neither), no limit on a stream's total bytes (gRPC's
                // per-message limit above is what etcd enforces).
                .requestTimeoutMillis(0)
                .idleTimeoutMillis(0)
                .maxRequestLength(0)
                // Go's HTTP/2 server (etcd) has no RST_STREAM budget; it bounds rapid reset by
                // concurrent handlers. Armeria's default (400 resets a minute, then GOAWAY
                // ENHANCE_YOUR_CALM) cuts off ordinary clients: clientv3's KeepAliveOnce and every
                // cancelled watch or context end in a reset. Allow 10,000 a second per
                // connection, far above any client's request rate, far below a reset flood.
                .http2MaxResetFramesPerWindow(RESET_FRAMES_PER_WINDOW, RESET_WINDOW_SECONDS)
                // --max-concurrent-streams: a client opening more streams on one connection waits
                // (Go, grpc-java) or is refused the extra streams, as with etcd.
                .http2MaxStreamsPerConnection(config.advertisedMaxConcurrentStreams())
                // --grpc-keepalive-interval/-timeout: ping idle clients, drop the silent ones;
                // --grpc-keepalive-min-time: GOAWAY too_many_pings to clients that ping too often.
                .childChannelPipelineCustomizer(ServerKeepAlive.installer(config.grpcKeepAliveInterval(),
                        config.grpcKeepAliveTimeout(), config.grpcKeepAliveMinTime()))
                .service(grpc.build())
                // A watch stream's responses, written while the previous write was in flight, leave
                // in one write (CoalescedResponse): Armeria alone writes and flushes each message.
                .decorator("/" + WatchGrpc.getWatchMethod().getFullMethodName(),
                        CoalescedResponse.decorator())
                .service("/version", new VersionService())
                .service("/metrics", PrometheusExpositionService.of(metrics.registry()))
                .service("/health", new HealthService(member.server()))
                .service("/livez", ProbeService.livez(member.server()))
                .service("/readyz", ProbeService.readyz(member.server()));
        for (URI url : config.listenClientUrls()) {
            builder.http(new InetSocketAddress(url.getHost(), url.getPort()));
        }
        return builder.build();
    }

    /** The port actually bound for the listen URL at {@code index} (tests listen on port 0). */
    public int port(int index) {
        return server.activePorts().values().stream()
                .map(p -> p.localAddress().getPort())
                .sorted()
                .toList()
                .get(index);
    }

    public ServerConfig config() {
        return config;
    }

    public Member member() {
        return member;
    }

    /**
     * Ends the recipe calls still waiting, stops accepting requests, lets in-flight ones finish,
     * and releases the ports.
     */
    @Override
    public void close() {
        // Waiting Lock/Campaign/Observe calls end first (CANCELLED, "context canceled"), so none
        // of them can hold the shutdown up; then the port closes.
        lock.close();
        election.close();
        server.stop().join();
        leaderMonitor.shutdownNow();
        watch.close();
        member.close();
        log.atInfo().addKeyValue("name", config.name()).log("stopped serving client traffic");
    }
}
