package io.etcdj.server.v3rpc;

import static org.assertj.core.api.Assertions.assertThat;

import com.linecorp.armeria.common.HttpData;
import com.linecorp.armeria.common.HttpHeaders;
import com.linecorp.armeria.common.HttpObject;
import com.linecorp.armeria.common.HttpResponse;
import com.linecorp.armeria.common.HttpResponseWriter;
import com.linecorp.armeria.common.HttpStatus;
import com.linecorp.armeria.common.ResponseHeaders;
import com.linecorp.armeria.common.stream.SubscriptionOption;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.Unpooled;
import io.netty.channel.DefaultEventLoop;
import io.netty.util.concurrent.EventExecutor;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.reactivestreams.Subscriber;
import org.reactivestreams.Subscription;

/**
 * The watch response coalescer: what the call writes in one task leaves as one chunk, in order,
 * headers and trailers around it; a connection that does not ask for more stops the call once the
 * queue is full; a reset releases what is queued.
 */
class CoalescedResponseTest {
    private final EventExecutor loop = new DefaultEventLoop();

    @AfterEach
    void stopLoop() {
        loop.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
    }

    @Test
    void chunksWrittenInOneTaskLeaveAsOneInOrderBetweenHeadersAndTrailers() throws Exception {
        HttpResponseWriter call = HttpResponse.streaming();
        Connection connection = subscribe(CoalescedResponse.of(call, loop, ByteBufAllocator.DEFAULT));
        // As Armeria's server does: one object at a time, the next asked for as soon as the write
        // of the last one completed, which on an idle socket is within the same task.
        connection.askAfterEach = true;
        connection.request(1);

        onLoop(() -> {
            call.write(ResponseHeaders.of(HttpStatus.OK));
            for (int i = 0; i < 10; i++) {
                call.write(HttpData.wrap(Unpooled.copiedBuffer("m" + i + ";", StandardCharsets.US_ASCII)));
            }
            call.write(HttpHeaders.of("grpc-status", "0"));
            call.close();
            return null;
        });
        connection.done.get(5, TimeUnit.SECONDS);

        List<String> received = onLoop(() -> connection.describe());
        assertThat(received).containsExactly("headers :status=200", "data m0;m1;m2;m3;m4;m5;m6;m7;m8;m9;",
                "headers grpc-status=0", "complete");
    }

    @Test
    void aConnectionThatAsksForNothingStopsTheCallOnceTheQueueIsFull() throws Exception {
        HttpResponseWriter call = HttpResponse.streaming();
        Connection connection = subscribe(CoalescedResponse.of(call, loop, ByteBufAllocator.DEFAULT));
        int chunk = 1024;
        int written = 2 * CoalescedResponse.MAX_QUEUED_BYTES / chunk;
        List<CompletableFuture<Void>> consumed = new ArrayList<>();

        onLoop(() -> {
            call.write(ResponseHeaders.of(HttpStatus.OK));
            for (int i = 0; i < written; i++) {
                call.write(HttpData.wrap(Unpooled.wrappedBuffer(new byte[chunk])));
                consumed.add(call.whenConsumed());
            }
            return null;
        });
        onLoop(() -> null); // the scheduled emit has run
        long taken = onLoop(() -> consumed.stream().filter(CompletableFuture::isDone).count());

        assertThat(taken).as("chunks taken from the call with no demand")
                .isGreaterThanOrEqualTo(CoalescedResponse.MAX_QUEUED_BYTES / chunk - 1)
                .isLessThanOrEqualTo(CoalescedResponse.MAX_QUEUED_BYTES / chunk + CoalescedResponse.UPSTREAM_REQUEST);

        // Negative control: once the connection asks, the call is drained to the end.
        long total = (long) written * chunk;
        for (int i = 0; i < 50 && onLoop(() -> connection.dataBytes) < total; i++) {
            connection.request(1);
            onLoop(() -> null);
        }
        assertThat(onLoop(() -> consumed.stream().filter(CompletableFuture::isDone).count())).isEqualTo(written);
        assertThat(onLoop(() -> connection.dataBytes)).isEqualTo(total);
    }

    @Test
    void aResetReleasesWhatIsQueuedAndEndsTheCall() throws Exception {
        HttpResponseWriter call = HttpResponse.streaming();
        Connection connection = subscribe(CoalescedResponse.of(call, loop, ByteBufAllocator.DEFAULT));
        List<ByteBuf> buffers = new ArrayList<>();

        onLoop(() -> {
            call.write(ResponseHeaders.of(HttpStatus.OK));
            for (int i = 0; i < 5; i++) {
                ByteBuf buf = ByteBufAllocator.DEFAULT.directBuffer(16).writeZero(16);
                buffers.add(buf);
                call.write(HttpData.wrap(buf));
            }
            return null;
        });
        onLoop(() -> null);
        connection.subscription.cancel();
        onLoop(() -> null);

        assertThat(buffers).allSatisfy(buf -> assertThat(buf.refCnt()).isZero());
        call.whenComplete().handle((ok, failure) -> null).get(5, TimeUnit.SECONDS);
        assertThat(call.isOpen()).isFalse();
    }

    @Test
    void aFailedCallFailsTheResponse() throws Exception {
        HttpResponseWriter call = HttpResponse.streaming();
        Connection connection = subscribe(CoalescedResponse.of(call, loop, ByteBufAllocator.DEFAULT));
        connection.request(10);

        onLoop(() -> {
            call.write(ResponseHeaders.of(HttpStatus.OK));
            call.abort(new IllegalStateException("reset by the call"));
            return null;
        });

        assertThat(connection.done).failsWithin(5, TimeUnit.SECONDS).withThrowableThat()
                .withMessageContaining("reset by the call");
    }

    private Connection subscribe(HttpResponse response) throws Exception {
        Connection connection = new Connection();
        onLoop(() -> {
            response.subscribe(connection, loop, SubscriptionOption.WITH_POOLED_OBJECTS);
            return null;
        });
        return connection;
    }

    private <T> T onLoop(Callable<T> task) throws Exception {
        return loop.submit(task).get(5, TimeUnit.SECONDS);
    }

    /** The connection's side: asks only when told, records what it got (on the loop). */
    private final class Connection implements Subscriber<HttpObject> {
        final CompletableFuture<Void> done = new CompletableFuture<>();
        final List<String> received = new ArrayList<>();
        long dataBytes;
        boolean askAfterEach;
        volatile Subscription subscription;

        void request(long n) throws Exception {
            onLoop(() -> {
                subscription.request(n);
                return null;
            });
        }

        List<String> describe() {
            return List.copyOf(received);
        }

        @Override
        public void onSubscribe(Subscription s) {
            subscription = s;
        }

        @Override
        public void onNext(HttpObject object) {
            if (object instanceof HttpData data) {
                dataBytes += data.length();
                received.add("data " + data.toString(StandardCharsets.US_ASCII));
                data.close();
            } else if (object instanceof HttpHeaders headers) {
                StringBuilder text = new StringBuilder("headers");
                headers.forEach((name, value) -> text.append(' ').append(name).append('=').append(value));
                received.add(text.toString());
            }
            if (askAfterEach) {
                subscription.request(1);
            }
        }

        @Override
        public void onError(Throwable failure) {
            received.add("error " + failure.getMessage());
            done.completeExceptionally(failure);
        }

        @Override
        public void onComplete() {
            received.add("complete");
            done.complete(null);
        }
    }
}
