package io.etcdj.server.concurrency;

import static org.assertj.core.api.Assertions.assertThat;

import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.ServerCallStreamObserver;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** Cancellation and flow control of the calls that run on their own threads. */
class BlockingCallsTest {
    private static final long WAIT_SECONDS = 30;

    /** The server side of one call, cancellable and with switchable readiness. */
    private static final class FakeCall extends ServerCallStreamObserver<String> {
        final List<String> sent = new CopyOnWriteArrayList<>();
        final CompletableFuture<Throwable> ended = new CompletableFuture<>();
        volatile boolean ready = true;
        volatile boolean cancelled;
        Runnable onCancel = () -> { };
        Runnable onReady = () -> { };

        void cancel() {
            cancelled = true;
            onCancel.run();
        }

        void becomeReady() {
            ready = true;
            onReady.run();
        }

        @Override
        public boolean isCancelled() {
            return cancelled;
        }

        @Override
        public void setOnCancelHandler(Runnable handler) {
            onCancel = handler;
        }

        @Override
        public void setCompression(String compression) {
        }

        @Override
        public boolean isReady() {
            return ready;
        }

        @Override
        public void setOnReadyHandler(Runnable handler) {
            onReady = handler;
        }

        @Override
        public void request(int count) {
        }

        @Override
        public void setMessageCompression(boolean enable) {
        }

        @Override
        public void disableAutoInboundFlowControl() {
        }

        @Override
        public void onNext(String value) {
            sent.add(value);
        }

        @Override
        public void onError(Throwable error) {
            ended.complete(error);
        }

        @Override
        public void onCompleted() {
            ended.complete(null);
        }
    }

    @Test
    void aClientCancelInterruptsTheWaitingCallAndItEnds() throws Exception {
        BlockingCalls calls = new BlockingCalls("test");
        FakeCall call = new FakeCall();
        CountDownLatch waiting = new CountDownLatch(1);
        calls.unary(call, () -> {
            waiting.countDown();
            new CountDownLatch(1).await(); // waits forever unless interrupted
            return "never";
        });
        assertThat(waiting.await(WAIT_SECONDS, TimeUnit.SECONDS)).isTrue();
        assertThat(calls.running()).isEqualTo(1);
        call.cancel();
        Throwable error = call.ended.get(WAIT_SECONDS, TimeUnit.SECONDS);
        assertThat(error).isInstanceOfSatisfying(StatusRuntimeException.class,
                e -> assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.CANCELLED));
        assertThat(call.sent).isEmpty();
        awaitNoneRunning(calls);
    }

    @Test
    void closeEndsEveryCallAndRefusesNewOnes() throws Exception {
        BlockingCalls calls = new BlockingCalls("test");
        FakeCall call = new FakeCall();
        calls.unary(call, () -> {
            new CountDownLatch(1).await();
            return "never";
        });
        calls.close();
        assertThat(call.ended.get(WAIT_SECONDS, TimeUnit.SECONDS)).isNotNull();
        awaitNoneRunning(calls);
        FakeCall late = new FakeCall();
        calls.unary(late, () -> "late");
        assertThat(late.ended.get(WAIT_SECONDS, TimeUnit.SECONDS)).isInstanceOfSatisfying(StatusRuntimeException.class,
                e -> assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.UNAVAILABLE));
    }

    @Test
    void failuresBecomeUnknownWithTheMessage() throws Exception {
        BlockingCalls calls = new BlockingCalls("test");
        FakeCall call = new FakeCall();
        calls.unary(call, () -> {
            throw Status.NOT_FOUND.withDescription("etcdserver: requested lease not found").asRuntimeException();
        });
        assertThat(call.ended.get(WAIT_SECONDS, TimeUnit.SECONDS)).isInstanceOfSatisfying(StatusRuntimeException.class,
                e -> {
                    assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.UNKNOWN);
                    assertThat(e.getStatus().getDescription()).isEqualTo("etcdserver: requested lease not found");
                });
    }

    @Test
    void aStreamingCallSendsOnlyWhileTheClientIsReady() throws Exception {
        BlockingCalls calls = new BlockingCalls("test");
        FakeCall call = new FakeCall();
        call.ready = false;
        CountDownLatch sending = new CountDownLatch(1);
        calls.streaming(call, sink -> {
            sending.countDown();
            sink.send("one");
            sink.send("two");
        });
        assertThat(sending.await(WAIT_SECONDS, TimeUnit.SECONDS)).isTrue();
        assertThat(call.sent).isEmpty();
        assertThat(call.ended).isNotDone();
        call.becomeReady();
        assertThat(call.ended.get(WAIT_SECONDS, TimeUnit.SECONDS)).isNull();
        assertThat(call.sent).containsExactly("one", "two");
    }

    private static void awaitNoneRunning(BlockingCalls calls) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(WAIT_SECONDS);
        while (calls.running() > 0 && System.nanoTime() < deadline) {
            TimeUnit.MILLISECONDS.sleep(10);
        }
        assertThat(calls.running()).isZero();
    }
}
