package io.etcdj.server.v3rpc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.etcdj.api.etcdserverpb.ResponseHeader;
import io.etcdj.api.etcdserverpb.SnapshotResponse;
import io.grpc.stub.ServerCallStreamObserver;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The Snapshot stream waits for gRPC flow control and stops when the client cancels. */
class SnapshotChunksTest {

    private static final int CHUNKS = 4;

    @Test
    void writesOnlyWhileTheTransportIsReady() throws Exception {
        FakeCall call = new FakeCall();
        CompletableFuture<Throwable> copy = copyInBackground(call);

        call.awaitParked(); // the writer reached the first chunk and the call is not ready
        assertEquals(0, call.sent.size(), "no message may be queued while the client is not reading");
        for (int i = 1; i <= CHUNKS; i++) {
            call.allowOne();
            call.awaitSent(i);
        }
        assertEquals(null, copy.get(10, TimeUnit.SECONDS));
        assertEquals(CHUNKS, call.sent.size());
        assertEquals(0, call.sent.get(CHUNKS - 1).getRemainingBytes());
        assertEquals(SnapshotChunks.CHUNK_BYTES, call.sent.get(CHUNKS - 2).getRemainingBytes());
    }

    @Test
    void aCancelledClientStopsTheCopy() throws Exception {
        FakeCall call = new FakeCall();
        CompletableFuture<Throwable> copy = copyInBackground(call);
        call.awaitParked();
        call.allowOne();
        call.awaitSent(1);
        call.cancel();

        Throwable failure = copy.get(10, TimeUnit.SECONDS);
        assertInstanceOf(SnapshotChunks.ClientGoneException.class, failure);
        assertEquals(1, call.sent.size(), "nothing is sent after the cancel");
    }

    @Test
    void negativeControlWithoutReadinessEverythingIsQueuedAtOnce() throws Exception {
        FakeCall call = new FakeCall(); // never ready, but the copy does not ask
        SnapshotChunks chunks = new SnapshotChunks((long) CHUNKS * SnapshotChunks.CHUNK_BYTES,
                ResponseHeader.getDefaultInstance(), call, null);
        chunks.write(new byte[CHUNKS * SnapshotChunks.CHUNK_BYTES]);
        chunks.close();
        assertEquals(CHUNKS, call.sent.size());
    }

    private static CompletableFuture<Throwable> copyInBackground(FakeCall call) {
        StreamReadiness readiness = StreamReadiness.of(call);
        CompletableFuture<Throwable> done = new CompletableFuture<>();
        Thread.ofVirtual().start(() -> {
            try (SnapshotChunks chunks = new SnapshotChunks((long) CHUNKS * SnapshotChunks.CHUNK_BYTES,
                    ResponseHeader.getDefaultInstance(), call, readiness)) {
                chunks.write(new byte[CHUNKS * SnapshotChunks.CHUNK_BYTES]);
                done.complete(null);
            } catch (Exception e) {
                done.complete(e);
            }
        });
        return done;
    }

    /** A server call whose readiness the test hands out one message at a time. */
    private static final class FakeCall extends ServerCallStreamObserver<SnapshotResponse> {
        final List<SnapshotResponse> sent = new CopyOnWriteArrayList<>();
        private int credits;
        private boolean cancelled;
        private boolean asked;
        private Runnable onReady = () -> { };
        private Runnable onCancel = () -> { };

        synchronized void allowOne() {
            credits++;
            onReady.run();
        }

        void cancel() {
            synchronized (this) {
                cancelled = true;
            }
            onCancel.run();
        }

        synchronized void awaitParked() throws InterruptedException {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (!asked && System.nanoTime() < deadline) {
                wait(50);
            }
            assertTrue(asked, "the writer never asked whether the call is ready");
        }

        void awaitSent(int count) throws InterruptedException {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (sent.size() < count && System.nanoTime() < deadline) {
                Thread.sleep(5);
            }
            assertEquals(count, sent.size());
        }

        @Override
        public synchronized boolean isReady() {
            asked = true;
            notifyAll();
            return credits > 0;
        }

        @Override
        public void onNext(SnapshotResponse value) {
            synchronized (this) {
                credits--;
            }
            sent.add(value);
        }

        @Override
        public synchronized boolean isCancelled() {
            return cancelled;
        }

        @Override
        public void setOnCancelHandler(Runnable handler) {
            onCancel = handler;
        }

        @Override
        public void setOnReadyHandler(Runnable handler) {
            onReady = handler;
        }

        @Override
        public void onError(Throwable t) {
        }

        @Override
        public void onCompleted() {
        }

        @Override
        public void setCompression(String compression) {
        }

        @Override
        public void disableAutoInboundFlowControl() {
        }

        @Override
        public void request(int count) {
        }

        @Override
        public void setMessageCompression(boolean enable) {
        }
    }
}
