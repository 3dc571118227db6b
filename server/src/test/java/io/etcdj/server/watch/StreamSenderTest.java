package io.etcdj.server.watch;

import static org.assertj.core.api.Assertions.assertThat;

import io.etcdj.api.etcdserverpb.WatchResponse;
import io.grpc.stub.StreamObserver;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The per-stream buffer's bounds: refusals instead of waiting, controls never overflow it. */
class StreamSenderTest {

    @Test
    void boundsHoldWhileTheClientIsStuckAndEverythingFlowsInOrderAfter() throws Exception {
        CountDownLatch unblock = new CountDownLatch(1);
        BlockingQueue<WatchResponse> got = new LinkedBlockingQueue<>();
        StreamSender sender = new StreamSender(new StreamObserver<>() {
            @Override
            public void onNext(WatchResponse r) {
                got.add(r);
                try {
                    unblock.await(30, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }

            @Override
            public void onError(Throwable t) {
            }

            @Override
            public void onCompleted() {
            }
        }, WatchConfig.defaults().withStreamBuffer(3), "test-sender");
        WatchResponse event = WatchResponse.newBuilder().setWatchId(1).build();
        WatchResponse control = WatchResponse.newBuilder().setWatchId(1).setCreated(true).build();

        int controls = 0;
        while (sender.offerControl(control) && controls < 1_000) {
            controls++;
        }
        boolean eventsRefused = !sender.offerEvents(List.of(event));
        unblock.countDown();
        for (int i = 0; i < controls; i++) {
            assertThat(got.poll(30, TimeUnit.SECONDS)).isNotNull();
        }
        boolean acceptedAgain = sender.offerEvents(List.of(event, event, event));
        boolean overBudget = sender.offerEvents(List.of(event, event, event, event));
        sender.stop();

        assertThat(controls).as("controls stop at the buffer's capacity").isBetween(3, 3 + 16 + 1);
        assertThat(eventsRefused).as("a full buffer refuses events instead of throwing").isTrue();
        assertThat(acceptedAgain).isTrue();
        assertThat(overBudget).isFalse();
    }
}
