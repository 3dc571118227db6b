package io.etcdj.tests.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import io.etcdj.api.etcdserverpb.KVGrpc;
import io.etcdj.api.etcdserverpb.PutRequest;
import io.etcdj.api.etcdserverpb.WatchCreateRequest;
import io.etcdj.api.etcdserverpb.WatchGrpc;
import io.etcdj.api.etcdserverpb.WatchRequest;
import io.etcdj.api.etcdserverpb.WatchResponse;
import io.etcdj.api.mvccpb.Event;
import io.etcdj.tests.framework.SpawnedEtcd;
import io.grpc.Grpc;
import io.grpc.InsecureChannelCredentials;
import io.grpc.ManagedChannel;
import io.grpc.stub.ClientCallStreamObserver;
import io.grpc.stub.ClientResponseObserver;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * 200 watchers on streams whose client stops reading (gRPC manual flow control, nothing
 * requested) while a normal client keeps writing and a normal watcher keeps receiving: writes are
 * acknowledged and the normal watcher gets every event in order, in bounded time; the server
 * reports slow watchers; then the stalled clients read again and every one of their watchers gets
 * every event in order (no compaction happens, so none may be cancelled). Also run against the
 * reference etcd ({@link SlowWatchersReferenceE2eTest}).
 */
@Tag("e2e")
class SlowWatchersE2eTest {
    private static final int SLOW_STREAMS = 4;
    private static final int WATCHERS_PER_STREAM = 50;
    private static final int PUTS = 1_000;
    private static final long PUT_DEADLINE_SECONDS = 10;
    private static final long LIVE_SECONDS = 60;
    private static final long RESUME_SECONDS = 180;
    private static final ByteString VALUE = ByteString.copyFromUtf8("x".repeat(64));

    @TempDir
    Path workDir;

    Server startServer(Path dir) {
        SpawnedEtcd etcd = SpawnedEtcd.start(dir);
        return new Server(etcd.endpoint(), etcd.clientUrl(), etcd);
    }

    record Server(String endpoint, String clientUrl, AutoCloseable process) {
    }

    @Test
    void stalledClientsNeitherBlockWritesNorOtherWatchersAndCatchUpCompletely() throws Exception {
        Server server = startServer(workDir);
        int colon = server.endpoint().lastIndexOf(':');
        String host = server.endpoint().substring(0, colon);
        int port = Integer.parseInt(server.endpoint().substring(colon + 1));
        // The stalled streams get a connection of their own: HTTP/2 flow control is per stream
        // and per connection, and the normal clients must not share a stalled connection window.
        ManagedChannel slowChannel = Grpc.newChannelBuilderForAddress(host, port, InsecureChannelCredentials.create())
                .build();
        ManagedChannel channel = Grpc.newChannelBuilderForAddress(host, port, InsecureChannelCredentials.create())
                .build();
        try (AutoCloseable process = server.process()) {
            List<Recorder> slow = new ArrayList<>();
            for (int s = 0; s < SLOW_STREAMS; s++) {
                Recorder r = new Recorder(slowChannel, false);
                for (int w = 0; w < WATCHERS_PER_STREAM; w++) {
                    r.create(w % 2 == 0 ? "s/" : "s/k", w % 2 == 0 ? "s0" : "");
                }
                r.request(WATCHERS_PER_STREAM); // the created responses, then nothing more
                assertThat(waitFor(() -> r.created() == WATCHERS_PER_STREAM, LIVE_SECONDS)).as("slow stream %d created", s)
                        .isTrue();
                slow.add(r);
            }
            Recorder normal = new Recorder(channel, true);
            normal.create("s/", "s0");
            assertThat(waitFor(() -> normal.created() == 1, LIVE_SECONDS)).isTrue();

            KVGrpc.KVBlockingStub kv = KVGrpc.newBlockingStub(channel);
            List<Long> revisions = new ArrayList<>();
            long start = System.nanoTime();
            for (int i = 0; i < PUTS; i++) {
                revisions.add(kv.withDeadlineAfter(PUT_DEADLINE_SECONDS, TimeUnit.SECONDS).put(PutRequest.newBuilder()
                        .setKey(ByteString.copyFromUtf8("s/k")).setValue(VALUE).build()).getHeader().getRevision());
            }
            assertThat(waitFor(() -> normal.eventCount(0) >= PUTS, LIVE_SECONDS))
                    .as("the normal watcher got all %d events within %d s", PUTS, LIVE_SECONDS).isTrue();
            System.out.printf("%d puts and the normal watcher's events took %d ms with %d stalled watchers%n", PUTS,
                    TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start), SLOW_STREAMS * WATCHERS_PER_STREAM);
            assertThat(normal.revisions(0)).as("normal watcher: every event, in order").isEqualTo(revisions);
            Map<String, Double> metrics = WatchMetricsE2eTest.scrapeOnce(server.clientUrl());
            System.out.println("while stalled: " + metrics);
            assertThat(metrics.get(WatchMetricsE2eTest.SLOW)).as("slow watchers while stalled").isPositive();
            assertThat(slow.stream().mapToInt(r -> r.eventCount()).sum()).as("stalled clients read nothing")
                    .isZero();

            slow.forEach(r -> r.request(Integer.MAX_VALUE));
            for (Recorder r : slow) {
                for (long id = 0; id < WATCHERS_PER_STREAM; id++) {
                    long watch = id;
                    assertThat(waitFor(() -> r.eventCount(watch) >= PUTS || r.canceled(watch), RESUME_SECONDS))
                            .as("watcher %d caught up within %d s", watch, RESUME_SECONDS).isTrue();
                    assertThat(r.canceled(watch)).as("no compaction: never cancelled").isFalse();
                    assertThat(r.revisions(watch)).as("watcher %d: every event, in order", watch).isEqualTo(revisions);
                }
            }
            System.out.printf("all %d stalled watchers caught up %d ms after the first put%n",
                    SLOW_STREAMS * WATCHERS_PER_STREAM, TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start));
        } finally {
            slowChannel.shutdownNow();
            channel.shutdownNow();
        }
    }

    private static boolean waitFor(BooleanSupplier condition, long seconds) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                return false;
            }
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(20));
        }
        return true;
    }

    /** One Watch stream; with {@code autoRead} false it reads only what {@link #request} allows. */
    private static final class Recorder {
        private final ClientCallStreamObserver<WatchRequest> call;
        private final Map<Long, List<Long>> revisions = new HashMap<>();
        private final Map<Long, Boolean> canceled = new HashMap<>();
        private int created;
        private int events;

        Recorder(ManagedChannel channel, boolean autoRead) {
            @SuppressWarnings("unchecked")
            ClientCallStreamObserver<WatchRequest>[] holder = new ClientCallStreamObserver[1];
            WatchGrpc.newStub(channel).watch(new ClientResponseObserver<WatchRequest, WatchResponse>() {
                @Override
                public void beforeStart(ClientCallStreamObserver<WatchRequest> requestStream) {
                    holder[0] = requestStream;
                    if (!autoRead) {
                        requestStream.disableAutoRequestWithInitial(0);
                    }
                }

                @Override
                public void onNext(WatchResponse response) {
                    arrived(response);
                }

                @Override
                public void onError(Throwable t) {
                }

                @Override
                public void onCompleted() {
                }
            });
            this.call = holder[0];
        }

        private synchronized void arrived(WatchResponse response) {
            if (response.getCreated()) {
                created++;
            }
            if (response.getCanceled()) {
                canceled.put(response.getWatchId(), true);
            }
            for (Event e : response.getEventsList()) {
                revisions.computeIfAbsent(response.getWatchId(), id -> new ArrayList<>()).add(e.getKv().getModRevision());
                events++;
            }
        }

        void create(String key, String end) {
            call.onNext(WatchRequest.newBuilder().setCreateRequest(WatchCreateRequest.newBuilder()
                    .setKey(ByteString.copyFromUtf8(key)).setRangeEnd(ByteString.copyFromUtf8(end))).build());
        }

        void request(int n) {
            call.request(n);
        }

        synchronized int created() {
            return created;
        }

        synchronized int eventCount() {
            return events;
        }

        synchronized int eventCount(long watchId) {
            return revisions.getOrDefault(watchId, List.of()).size();
        }

        synchronized boolean canceled(long watchId) {
            return canceled.getOrDefault(watchId, false);
        }

        synchronized List<Long> revisions(long watchId) {
            return List.copyOf(revisions.getOrDefault(watchId, List.of()));
        }
    }
}
