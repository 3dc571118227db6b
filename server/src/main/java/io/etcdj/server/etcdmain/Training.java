package io.etcdj.server.etcdmain;

import com.google.protobuf.ByteString;
import com.linecorp.armeria.client.ClientFactory;
import com.linecorp.armeria.client.WebClient;
import com.linecorp.armeria.client.grpc.GrpcClients;
import io.etcdj.api.etcdserverpb.Compare;
import io.etcdj.api.etcdserverpb.DeleteRangeRequest;
import io.etcdj.api.etcdserverpb.KVGrpc;
import io.etcdj.api.etcdserverpb.LeaseGrantRequest;
import io.etcdj.api.etcdserverpb.LeaseGrpc;
import io.etcdj.api.etcdserverpb.LeaseKeepAliveRequest;
import io.etcdj.api.etcdserverpb.LeaseKeepAliveResponse;
import io.etcdj.api.etcdserverpb.LeaseRevokeRequest;
import io.etcdj.api.etcdserverpb.MaintenanceGrpc;
import io.etcdj.api.etcdserverpb.PutRequest;
import io.etcdj.api.etcdserverpb.RangeRequest;
import io.etcdj.api.etcdserverpb.RequestOp;
import io.etcdj.api.etcdserverpb.StatusRequest;
import io.etcdj.api.etcdserverpb.TxnRequest;
import io.etcdj.api.etcdserverpb.WatchCreateRequest;
import io.etcdj.api.etcdserverpb.WatchGrpc;
import io.etcdj.api.etcdserverpb.WatchRequest;
import io.etcdj.api.etcdserverpb.WatchResponse;
import io.etcdj.server.config.EtcdFlags;
import io.etcdj.server.config.FlagParser;
import io.etcdj.server.config.ServerConfig;
import io.etcdj.server.embed.Etcd;
import io.grpc.stub.StreamObserver;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import java.util.stream.Stream;

/**
 * The training run behind {@code bin/etcd}'s start-up cache (a JDK AOT cache, or a CDS archive on
 * JDK 21–24; see bin/lib/launch.sh and docs/server.md). It starts a throw-away member on a loopback
 * port with a temporary data dir, sends it the requests a real member serves (puts, ranges, a
 * transaction, a watch, a lease, status and the HTTP endpoints) so that the classes they load and
 * the methods they run are recorded, then stops it. The JVM writes the cache when this exits.
 *
 * <p>Not part of etcd's interface: the launcher runs it, in the background, when the cache is
 * missing or stale. Exit status 0 on success, 1 if any step failed (the launcher then keeps no
 * cache).
 */
public final class Training {

    private static final int PUTS = 4_000;
    private static final int IN_FLIGHT = 64;
    private static final long DEADLINE_S = 30;

    private Training() {
    }

    public static void main(String[] args) {
        int status;
        try {
            run(Path.of(args.length > 0 ? args[0] : System.getProperty("java.io.tmpdir")));
            status = 0;
        } catch (Exception e) {
            System.err.println("etcdj training failed: " + e);
            status = 1;
        }
        System.exit(status);
    }

    /** Runs the training workload in a member under {@code parent}; returns the keys left at the end. */
    static long run(Path parent) throws Exception {
        Path dir = Files.createTempDirectory(Files.createDirectories(parent), "etcdj-training");
        try {
            ServerConfig config = ServerConfig.from(new FlagParser(EtcdFlags.all()).parse(new String[] {
                "--name", "default", "--data-dir", dir.resolve("data").toString(),
                "--listen-client-urls", "http://127.0.0.1:0", "--advertise-client-urls", "http://127.0.0.1:2379",
                "--log-level", "warn"}, Map.of()));
            Logging.setLevel(config.logLevel());
            try (Etcd etcd = Etcd.start(config, error -> Runtime.getRuntime().halt(1))) {
                return exercise("http://127.0.0.1:" + etcd.port(0) + "/");
            }
        } finally {
            deleteTree(dir);
        }
    }

    private static long exercise(String uri) throws Exception {
        try (ClientFactory factory = ClientFactory.builder().build()) {
            KVGrpc.KVFutureStub kv = GrpcClients.builder(uri).factory(factory).build(KVGrpc.KVFutureStub.class);
            // A stub's deadline is absolute from the moment withDeadlineAfter is called: set it per call.
            KVGrpc.KVBlockingStub kvStub = GrpcClients.builder(uri).factory(factory).build(KVGrpc.KVBlockingStub.class);
            Supplier<KVGrpc.KVBlockingStub> kvSync = () -> kvStub.withDeadlineAfter(DEADLINE_S, TimeUnit.SECONDS);
            CountDownLatch watched = watch(GrpcClients.builder(uri).factory(factory).build(WatchGrpc.WatchStub.class));
            puts(kv);
            if (!watched.await(DEADLINE_S, TimeUnit.SECONDS)) {
                throw new IllegalStateException("watch events did not arrive");
            }
            for (int i = 0; i < PUTS / 4; i++) {
                ByteString key = key(i);
                kvSync.get().range(RangeRequest.newBuilder().setKey(key).build());
                kvSync.get().range(RangeRequest.newBuilder().setKey(key).setSerializable(true).build());
            }
            kvSync.get().range(RangeRequest.newBuilder().setKey(key(0)).setRangeEnd(key(PUTS)).setLimit(100).build());
            kvSync.get().txn(TxnRequest.newBuilder()
                    .addCompare(Compare.newBuilder().setKey(key(1)).setTarget(Compare.CompareTarget.VERSION)
                            .setResult(Compare.CompareResult.GREATER).setVersion(0))
                    .addSuccess(RequestOp.newBuilder().setRequestPut(PutRequest.newBuilder().setKey(key(1))
                            .setValue(ByteString.copyFromUtf8("txn"))))
                    .addFailure(RequestOp.newBuilder().setRequestRange(RangeRequest.newBuilder().setKey(key(1))))
                    .build());
            kvSync.get().deleteRange(DeleteRangeRequest.newBuilder().setKey(key(0)).setRangeEnd(key(PUTS / 2)).build());
            lease(uri, factory);
            GrpcClients.builder(uri).factory(factory).build(MaintenanceGrpc.MaintenanceBlockingStub.class)
                    .withDeadlineAfter(DEADLINE_S, TimeUnit.SECONDS).status(StatusRequest.getDefaultInstance());
            WebClient http = WebClient.builder(uri).factory(factory).build();
            for (String path : List.of("/health", "/livez", "/readyz", "/version", "/metrics")) {
                http.get(path).aggregate().get(DEADLINE_S, TimeUnit.SECONDS);
            }
            return kvSync.get().range(RangeRequest.newBuilder().setKey(key(0)).setRangeEnd(key(PUTS)).setCountOnly(true)
                    .build()).getCount();
        }
    }

    /** Puts with up to {@link #IN_FLIGHT} requests outstanding, like many clients at once. */
    private static void puts(KVGrpc.KVFutureStub kv) throws InterruptedException, ExecutionException {
        ByteString value = ByteString.copyFrom(new byte[256]);
        List<Future<?>> pending = new ArrayList<>();
        for (int i = 0; i < PUTS; i++) {
            pending.add(kv.withDeadlineAfter(DEADLINE_S, TimeUnit.SECONDS)
                    .put(PutRequest.newBuilder().setKey(key(i)).setValue(value).build()));
            if (pending.size() == IN_FLIGHT || i == PUTS - 1) {
                for (Future<?> f : pending) {
                    f.get();
                }
                pending.clear();
            }
        }
    }

    /** Opens a watch on the training keys; the latch opens once it has seen 100 events. */
    private static CountDownLatch watch(WatchGrpc.WatchStub watchStub) {
        CountDownLatch events = new CountDownLatch(100);
        StreamObserver<WatchRequest> requests = watchStub.watch(new StreamObserver<>() {
            @Override
            public void onNext(WatchResponse response) {
                response.getEventsList().forEach(e -> events.countDown());
            }

            @Override
            public void onError(Throwable t) {
                // the latch stays closed and the run fails on its deadline
            }

            @Override
            public void onCompleted() {
            }
        });
        requests.onNext(WatchRequest.newBuilder().setCreateRequest(WatchCreateRequest.newBuilder()
                .setKey(key(0)).setRangeEnd(key(PUTS))).build());
        return events;
    }

    private static void lease(String uri, ClientFactory factory) throws InterruptedException {
        LeaseGrpc.LeaseBlockingStub lease = GrpcClients.builder(uri).factory(factory)
                .build(LeaseGrpc.LeaseBlockingStub.class);
        long id = lease.withDeadlineAfter(DEADLINE_S, TimeUnit.SECONDS)
                .leaseGrant(LeaseGrantRequest.newBuilder().setTTL(60).build()).getID();
        CountDownLatch answered = new CountDownLatch(1);
        StreamObserver<LeaseKeepAliveRequest> keepAlive = GrpcClients.builder(uri).factory(factory)
                .build(LeaseGrpc.LeaseStub.class).leaseKeepAlive(new StreamObserver<>() {
                    @Override
                    public void onNext(LeaseKeepAliveResponse response) {
                        answered.countDown();
                    }

                    @Override
                    public void onError(Throwable t) {
                    }

                    @Override
                    public void onCompleted() {
                    }
                });
        keepAlive.onNext(LeaseKeepAliveRequest.newBuilder().setID(id).build());
        if (!answered.await(DEADLINE_S, TimeUnit.SECONDS)) {
            throw new IllegalStateException("lease keep-alive was not answered");
        }
        keepAlive.onCompleted();
        lease.withDeadlineAfter(DEADLINE_S, TimeUnit.SECONDS)
                .leaseRevoke(LeaseRevokeRequest.newBuilder().setID(id).build());
    }

    private static ByteString key(int i) {
        return ByteString.copyFromUtf8(String.format("training/%06d", i));
    }

    private static void deleteTree(Path dir) {
        try (Stream<Path> paths = Files.walk(dir)) {
            paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
