package io.etcdj.server.watch;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import io.etcdj.api.etcdserverpb.ResponseHeader;
import io.etcdj.api.etcdserverpb.WatchCreateRequest;
import io.etcdj.api.etcdserverpb.WatchResponse;
import io.etcdj.api.mvccpb.Event;
import io.etcdj.server.mvcc.MvccConfig;
import io.etcdj.server.mvcc.MvccStore;
import io.etcdj.server.mvcc.TxnWrite;
import io.etcdj.server.storage.backend.Backend;
import io.etcdj.server.storage.backend.BackendConfig;
import io.grpc.stub.StreamObserver;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The hub with its threads on the real store: a client that stops reading never holds up the
 * writer (the apply thread's role here), and once it reads again it gets every revision, in order.
 */
class WatchHubTest {
    private static final int WRITES = 400;

    @TempDir
    Path dir;

    @Test
    void aStuckClientNeverBlocksWritesAndCatchesUpInOrderAfterwards() throws Exception {
        Backend backend = Backend.open(BackendConfig.defaults(dir.resolve("db")));
        MvccStore store = MvccStore.open(backend, new MvccConfig(100, Runnable::run));
        WatchConfig config = WatchConfig.defaults().withStreamBuffer(4).withMaxEventsPerSync(50);
        WatchHub hub = WatchHub.start(store, backend, rev -> ResponseHeader.newBuilder().setRevision(rev).build(),
                config, System::nanoTime);
        CountDownLatch unblock = new CountDownLatch(1);
        BlockingQueue<WatchResponse> received = new LinkedBlockingQueue<>(100_000);
        HubStream stream = hub.openStream(new StreamObserver<>() {
            @Override
            public void onNext(WatchResponse r) {
                received.add(r);
                if (!r.getCreated()) {
                    awaitQuietly(unblock); // the client stops reading after its first event
                }
            }

            @Override
            public void onError(Throwable t) {
            }

            @Override
            public void onCompleted() {
            }
        });
        try {
            stream.create(WatchCreateRequest.newBuilder().setKey(ByteString.copyFromUtf8("k")).build());
            WatchResponse created = received.poll(30, TimeUnit.SECONDS);
            assertThat(created).isNotNull();
            assertThat(created.getCreated()).isTrue();

            for (int i = 0; i < WRITES; i++) {
                TxnWrite txn = store.write(); // every write returns though nobody reads the stream
                txn.put(bytes("k"), bytes(Integer.toString(i)), 0);
                txn.end();
            }
            unblock.countDown();

            List<String> values = new ArrayList<>();
            long lastRev = 0;
            while (values.size() < WRITES) {
                WatchResponse r = received.poll(30, TimeUnit.SECONDS);
                assertThat(r).as("response after %d values", values.size()).isNotNull();
                for (Event e : r.getEventsList()) {
                    assertThat(e.getKv().getModRevision()).isGreaterThan(lastRev);
                    lastRev = e.getKv().getModRevision();
                    values.add(e.getKv().getValue().toStringUtf8());
                }
            }
            assertThat(values).containsExactlyElementsOf(
                    java.util.stream.IntStream.range(0, WRITES).mapToObj(Integer::toString).toList());
        } finally {
            unblock.countDown();
            stream.close();
            hub.close();
            store.close();
            backend.close();
        }
    }

    /**
     * Writes made while no watcher exists skip the hub; a watcher created while a writer streams
     * must still get exactly the revisions after its creation revision, in order, with none late
     * past the end of the writes (the race between the count and the store revision).
     */
    @Test
    void watchersCreatedWhileWritesStreamMissNothingAfterTheirCreationRevision() throws Exception {
        Backend backend = Backend.open(BackendConfig.defaults(dir.resolve("db")));
        MvccStore store = MvccStore.open(backend, new MvccConfig(100, Runnable::run));
        WatchHub hub = WatchHub.start(store, backend, rev -> ResponseHeader.newBuilder().setRevision(rev).build(),
                WatchConfig.defaults(), System::nanoTime);
        List<HubStream> streams = new ArrayList<>();
        List<BlockingQueue<WatchResponse>> inboxes = new ArrayList<>();
        List<Long> createdAt = new ArrayList<>();
        Thread writer = Thread.ofPlatform().start(() -> {
            for (int i = 0; i < 4 * WRITES; i++) {
                TxnWrite txn = store.write();
                txn.put(bytes("k"), bytes(Integer.toString(i)), 0);
                txn.end();
            }
        });
        try {
            for (int w = 0; w < 20 && writer.isAlive(); w++) {
                BlockingQueue<WatchResponse> inbox = new LinkedBlockingQueue<>();
                HubStream stream = hub.openStream(collectingInto(inbox));
                stream.create(WatchCreateRequest.newBuilder().setKey(ByteString.copyFromUtf8("k")).build());
                streams.add(stream);
                inboxes.add(inbox);
                WatchResponse created = inbox.poll(30, TimeUnit.SECONDS);
                assertThat(created).as("created %d", w).isNotNull();
                assertThat(created.getCreated()).isTrue();
                createdAt.add(created.getHeader().getRevision());
            }
            writer.join(TimeUnit.SECONDS.toMillis(60));
            assertThat(writer.isAlive()).isFalse();
            long last = store.currentRevision();
            for (int w = 0; w < inboxes.size(); w++) {
                BlockingQueue<WatchResponse> inbox = inboxes.get(w);
                long from = createdAt.get(w);
                long expected = from + 1;
                for (long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30); expected <= last;) {
                    WatchResponse r = inbox.poll(Math.max(1, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
                    assertThat(r).as("watcher from %d: revision %d arrived", from, expected).isNotNull();
                    for (Event e : r.getEventsList()) {
                        assertThat(e.getKv().getModRevision()).as("watcher from %d", from).isEqualTo(expected++);
                    }
                }
            }
        } finally {
            writer.join(TimeUnit.SECONDS.toMillis(60));
            streams.forEach(HubStream::close);
            hub.close();
            store.close();
            backend.close();
        }
    }

    private static StreamObserver<WatchResponse> collectingInto(BlockingQueue<WatchResponse> inbox) {
        return new StreamObserver<>() {
            @Override
            public void onNext(WatchResponse r) {
                inbox.add(r);
            }

            @Override
            public void onError(Throwable t) {
            }

            @Override
            public void onCompleted() {
            }
        };
    }

    private static void awaitQuietly(CountDownLatch latch) {
        try {
            latch.await(60, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
