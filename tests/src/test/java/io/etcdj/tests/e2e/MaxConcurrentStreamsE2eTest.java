package io.etcdj.tests.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.etcdj.api.etcdserverpb.KVGrpc;
import io.etcdj.api.etcdserverpb.RangeRequest;
import io.etcdj.api.etcdserverpb.WatchCreateRequest;
import io.etcdj.api.etcdserverpb.WatchGrpc;
import io.etcdj.api.etcdserverpb.WatchRequest;
import io.etcdj.api.etcdserverpb.WatchResponse;
import io.etcdj.tests.framework.RawHttp2;
import io.etcdj.tests.framework.SpawnedEtcd;
import io.grpc.Grpc;
import io.grpc.InsecureChannelCredentials;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.ClientCallStreamObserver;
import io.grpc.stub.ClientResponseObserver;
import io.grpc.stub.StreamObserver;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code --max-concurrent-streams}: the member advertises the limit in its HTTP/2 SETTINGS, and a
 * gRPC client that holds that many streams open on a connection gets no further stream until one
 * closes. Also run against the reference etcd ({@link MaxConcurrentStreamsReferenceE2eTest}); the
 * one expected difference is the default (see {@link #advertisedByDefault()}).
 */
@Tag("e2e")
class MaxConcurrentStreamsE2eTest {
    private static final int SETTINGS_MAX_CONCURRENT_STREAMS = 0x3;
    private static final int SOCKET_TIMEOUT_MS = 10_000;
    private static final long CALL_SECONDS = 10;

    @TempDir
    Path workDir;

    record Server(String endpoint, int port, AutoCloseable process) {
    }

    Server startServer(Path dir, String... args) {
        SpawnedEtcd etcd = SpawnedEtcd.start(dir, args);
        return new Server(etcd.endpoint(), etcd.clientPort(), etcd);
    }

    /**
     * etcd sends its default, 2^32-1; etcdj sends 2^31-1, because grpc-java's OkHttp transport reads
     * the setting as a signed int and opens no stream at all against 2^32-1.
     */
    long advertisedByDefault() {
        return Integer.MAX_VALUE;
    }

    @Test
    void theFlagIsAdvertisedInTheServersSettings() throws Exception {
        Server server = startServer(workDir, "--max-concurrent-streams", "3");
        try (AutoCloseable process = server.process()) {
            assertThat(advertisedMaxConcurrentStreams(server.port())).isEqualTo(3);
        }
    }

    @Test
    void theDefaultIsNoLimitInPractice() throws Exception {
        Server server = startServer(workDir);
        try (AutoCloseable process = server.process()) {
            assertThat(advertisedMaxConcurrentStreams(server.port())).isEqualTo(advertisedByDefault());
        }
    }

    @Test
    void aClientAtTheLimitGetsNoNewStreamUntilOneCloses() throws Exception {
        Server server = startServer(workDir, "--max-concurrent-streams", "1");
        ManagedChannel channel = Grpc.newChannelBuilder(server.endpoint(), InsecureChannelCredentials.create()).build();
        try (AutoCloseable process = server.process()) {
            KVGrpc.KVBlockingStub kv = KVGrpc.newBlockingStub(channel);
            RangeRequest get = RangeRequest.newBuilder().setKey(utf8("k")).build();
            // Negative control: with no stream open, a call goes through.
            assertThat(kv.withDeadlineAfter(CALL_SECONDS, TimeUnit.SECONDS).range(get).getCount()).isZero();

            CompletableFuture<WatchResponse> created = new CompletableFuture<>();
            CompletableFuture<Throwable> closed = new CompletableFuture<>();
            AtomicReference<ClientCallStreamObserver<WatchRequest>> call = new AtomicReference<>();
            StreamObserver<WatchRequest> watch = WatchGrpc.newStub(channel).watch(completing(created, closed, call));
            watch.onNext(WatchRequest.newBuilder().setCreateRequest(WatchCreateRequest.newBuilder().setKey(utf8("k")))
                    .build());
            assertThat(created.get(CALL_SECONDS, TimeUnit.SECONDS).getCreated()).isTrue();

            assertThatThrownBy(() -> kv.withDeadlineAfter(2, TimeUnit.SECONDS).range(get))
                    .isInstanceOfSatisfying(StatusRuntimeException.class,
                            e -> assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.DEADLINE_EXCEEDED));

            // A half-close is not enough: etcd (and etcdj) keep a watch stream open until the client
            // cancels it, as clientv3 does when its watch context ends.
            call.get().cancel("watch done", null);
            assertThat(closed.get(CALL_SECONDS, TimeUnit.SECONDS)).isInstanceOf(StatusRuntimeException.class);
            assertThat(rangeWithinAttempts(kv, get)).as("a call once the watch stream is gone").isTrue();
        } finally {
            channel.shutdownNow();
        }
    }

    /**
     * Whether one of a few short calls goes through. Against etcd 3.4.23 a call made right after
     * the cancel sometimes waits out its whole deadline (its grpc-go transport may still count the
     * cancelled stream when the new one arrives), while the next call goes through at once.
     */
    private static boolean rangeWithinAttempts(KVGrpc.KVBlockingStub kv, RangeRequest get) {
        for (int attempt = 0; attempt < 5; attempt++) {
            try {
                kv.withDeadlineAfter(3, TimeUnit.SECONDS).range(get);
                return true;
            } catch (StatusRuntimeException e) {
                if (e.getStatus().getCode() != Status.Code.DEADLINE_EXCEEDED) {
                    throw e;
                }
            }
        }
        return false;
    }

    /** Sends the HTTP/2 preface and reads the server's first SETTINGS frame. */
    private static long advertisedMaxConcurrentStreams(int port) throws IOException {
        try (RawHttp2 connection = RawHttp2.connect(port, SOCKET_TIMEOUT_MS)) {
            RawHttp2.Frame settings = connection.read();
            assertThat(settings).as("the server's first frame").isNotNull();
            assertThat(settings.type()).as("the server's first frame is SETTINGS").isEqualTo(RawHttp2.SETTINGS);
            ByteBuffer entries = ByteBuffer.wrap(settings.payload());
            long advertised = -1;
            while (entries.remaining() >= 6) {
                int id = Short.toUnsignedInt(entries.getShort());
                long value = Integer.toUnsignedLong(entries.getInt());
                if (id == SETTINGS_MAX_CONCURRENT_STREAMS) {
                    advertised = value;
                }
            }
            return advertised;
        }
    }

    private static ClientResponseObserver<WatchRequest, WatchResponse> completing(
            CompletableFuture<WatchResponse> first, CompletableFuture<Throwable> closed,
            AtomicReference<ClientCallStreamObserver<WatchRequest>> call) {
        return new ClientResponseObserver<>() {
            @Override
            public void beforeStart(ClientCallStreamObserver<WatchRequest> requests) {
                call.set(requests);
            }

            @Override
            public void onNext(WatchResponse response) {
                first.complete(response);
            }

            @Override
            public void onError(Throwable t) {
                first.completeExceptionally(t);
                closed.complete(t);
            }

            @Override
            public void onCompleted() {
            }
        };
    }

    private static com.google.protobuf.ByteString utf8(String text) {
        return com.google.protobuf.ByteString.copyFromUtf8(text);
    }
}
