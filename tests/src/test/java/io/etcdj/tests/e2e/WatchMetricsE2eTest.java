package io.etcdj.tests.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import io.etcdj.api.etcdserverpb.KVGrpc;
import io.etcdj.api.etcdserverpb.PutRequest;
import io.etcdj.api.etcdserverpb.WatchCancelRequest;
import io.etcdj.api.etcdserverpb.WatchCreateRequest;
import io.etcdj.api.etcdserverpb.WatchGrpc;
import io.etcdj.api.etcdserverpb.WatchRequest;
import io.etcdj.api.etcdserverpb.WatchResponse;
import io.etcdj.tests.framework.SpawnedEtcd;
import io.grpc.Grpc;
import io.grpc.InsecureChannelCredentials;
import io.grpc.ManagedChannel;
import io.grpc.stub.ClientCallStreamObserver;
import io.grpc.stub.ClientResponseObserver;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * etcd's watch metrics on /metrics while watchers are opened, fed and closed: the stream and
 * watcher gauges follow, and the events counter counts exactly what was sent. The same
 * expectations hold on the reference etcd ({@link WatchMetricsReferenceE2eTest}).
 */
@Tag("e2e")
class WatchMetricsE2eTest {
    private static final long TIMEOUT_SECONDS = 30;
    static final String STREAMS = "etcd_debugging_mvcc_watch_stream_total";
    static final String WATCHERS = "etcd_debugging_mvcc_watcher_total";
    static final String SLOW = "etcd_debugging_mvcc_slow_watcher_total";
    static final String PENDING = "etcd_debugging_mvcc_pending_events_total";
    static final String EVENTS = "etcd_debugging_mvcc_events_total";

    @TempDir
    Path workDir;

    /** The server under test: host:port and client URL. */
    record Server(String endpoint, String clientUrl, AutoCloseable process) {
    }

    Server startServer(Path dir) {
        SpawnedEtcd etcd = SpawnedEtcd.start(dir);
        return new Server(etcd.endpoint(), etcd.clientUrl(), etcd);
    }

    @Test
    void gaugesFollowWatchersAndTheCounterCountsSentEvents() throws Exception {
        Server server = startServer(workDir);
        int colon = server.endpoint().lastIndexOf(':');
        ManagedChannel channel = Grpc.newChannelBuilderForAddress(server.endpoint().substring(0, colon),
                Integer.parseInt(server.endpoint().substring(colon + 1)), InsecureChannelCredentials.create()).build();
        try (AutoCloseable process = server.process()) {
            Stream first = new Stream(channel);
            Stream second = new Stream(channel);
            first.create("m/a", "");
            first.create("m/", "m0");
            second.create("m/a", "");
            Map<String, Double> opened = scrape(server, m -> m.get(WATCHERS) == 3);
            assertThat(opened).containsEntry(STREAMS, 2.0).containsEntry(WATCHERS, 3.0).containsEntry(SLOW, 0.0);
            double eventsBefore = opened.get(EVENTS);

            KVGrpc.KVBlockingStub kv = KVGrpc.newBlockingStub(channel);
            for (int i = 0; i < 4; i++) {
                kv.withDeadlineAfter(TIMEOUT_SECONDS, TimeUnit.SECONDS).put(PutRequest.newBuilder()
                        .setKey(ByteString.copyFromUtf8("m/a")).setValue(ByteString.copyFromUtf8("v" + i)).build());
            }
            assertThat(first.events(8)).isEqualTo(8);
            assertThat(second.events(4)).isEqualTo(4);
            Map<String, Double> fed = scrape(server, m -> m.get(EVENTS) - eventsBefore >= 12);
            assertThat(fed.get(EVENTS) - eventsBefore).as("events sent").isEqualTo(12.0);
            assertThat(fed).containsEntry(PENDING, 0.0);

            second.call.cancel("client gone", null);
            Map<String, Double> oneGone = scrape(server, m -> m.get(STREAMS) == 1 && m.get(WATCHERS) == 2);
            assertThat(oneGone).containsEntry(STREAMS, 1.0).containsEntry(WATCHERS, 2.0);

            first.cancel(0);
            assertThat(scrape(server, m -> m.get(WATCHERS) == 1)).containsEntry(WATCHERS, 1.0);
            first.call.cancel("done", null);
            assertThat(scrape(server, m -> m.get(STREAMS) == 0 && m.get(WATCHERS) == 0))
                    .containsEntry(STREAMS, 0.0).containsEntry(WATCHERS, 0.0);
        } finally {
            channel.shutdownNow();
        }
    }

    /** The watch metrics, polled (bounded) until {@code until} holds; the last scrape otherwise. */
    static Map<String, Double> scrape(Server server, Predicate<Map<String, Double>> until) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(TIMEOUT_SECONDS);
        Map<String, Double> metrics = scrapeOnce(server.clientUrl());
        while (!until.test(metrics) && System.nanoTime() < deadline) {
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(50));
            metrics = scrapeOnce(server.clientUrl());
        }
        return metrics;
    }

    static Map<String, Double> scrapeOnce(String clientUrl) throws IOException, InterruptedException {
        try (HttpClient http = HttpClient.newHttpClient()) {
            String text = http.send(HttpRequest.newBuilder(URI.create(clientUrl + "/metrics"))
                    .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString()).body();
            Map<String, Double> values = new java.util.HashMap<>();
            for (String name : new String[] {STREAMS, WATCHERS, SLOW, PENDING, EVENTS}) {
                Matcher m = Pattern.compile("(?m)^" + name + " (\\S+)$").matcher(text);
                assertThat(m.find()).as("%s on /metrics", name).isTrue();
                values.put(name, Double.parseDouble(m.group(1)));
            }
            return values;
        }
    }

    /** One raw Watch stream. */
    static final class Stream {
        final BlockingQueue<WatchResponse> responses = new LinkedBlockingQueue<>();
        final ClientCallStreamObserver<WatchRequest> call;
        private int eventsSeen;

        Stream(ManagedChannel channel) {
            ClientCallStreamObserver<WatchRequest>[] holder = new ClientCallStreamObserver[1];
            WatchGrpc.newStub(channel).watch(new ClientResponseObserver<WatchRequest, WatchResponse>() {
                @Override
                public void beforeStart(ClientCallStreamObserver<WatchRequest> requestStream) {
                    holder[0] = requestStream;
                }

                @Override
                public void onNext(WatchResponse value) {
                    responses.add(value);
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

        void create(String key, String end) throws InterruptedException {
            call.onNext(WatchRequest.newBuilder().setCreateRequest(WatchCreateRequest.newBuilder()
                    .setKey(ByteString.copyFromUtf8(key)).setRangeEnd(ByteString.copyFromUtf8(end))).build());
            WatchResponse created = responses.poll(TIMEOUT_SECONDS, TimeUnit.SECONDS);
            assertThat(created).isNotNull();
            assertThat(created.getCreated()).isTrue();
        }

        void cancel(long id) throws InterruptedException {
            call.onNext(WatchRequest.newBuilder().setCancelRequest(WatchCancelRequest.newBuilder().setWatchId(id))
                    .build());
            WatchResponse canceled = responses.poll(TIMEOUT_SECONDS, TimeUnit.SECONDS);
            assertThat(canceled).isNotNull();
            assertThat(canceled.getCanceled()).isTrue();
        }

        /** Waits (bounded) for {@code n} events in all; returns how many came. */
        int events(int n) throws InterruptedException {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(TIMEOUT_SECONDS);
            while (eventsSeen < n && System.nanoTime() < deadline) {
                WatchResponse r = responses.poll(100, TimeUnit.MILLISECONDS);
                if (r != null) {
                    eventsSeen += r.getEventsCount();
                }
            }
            return eventsSeen;
        }
    }
}
