package io.etcdj.server.watch;

import static org.assertj.core.api.Assertions.assertThat;

import io.etcdj.api.etcdserverpb.ResponseHeader;
import io.etcdj.api.etcdserverpb.WatchResponse;
import io.etcdj.api.mvccpb.Event;
import io.etcdj.api.mvccpb.KeyValue;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.StreamObserver;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import org.junit.jupiter.api.Test;

/** The sender's bounds, coalescing, pacing and endings, driven by hand on a fake clock. */
class StreamSenderTest {

    /** Drains run only when the test says so; delayed ones once the fake clock passes their time. */
    static final class ManualDrains implements DrainThread {
        private record Delayed(long due, Runnable task) {
        }

        private final Queue<Runnable> now = new ArrayDeque<>();
        private final List<Delayed> later = new ArrayList<>();
        /** Each delay asked for, in nanoseconds. */
        final List<Long> delays = new ArrayList<>();
        long clock;

        @Override
        public void run(Runnable task) {
            now.add(task);
        }

        @Override
        public void runLater(Runnable task, long delayNanos) {
            delays.add(delayNanos);
            later.add(new Delayed(clock + delayNanos, task));
        }

        @Override
        public long nanoTime() {
            return clock;
        }

        /** Runs what is due, repeatedly, until nothing is. */
        void runDue() {
            for (int guard = 0; guard < 1_000; guard++) {
                Runnable next = now.poll();
                for (int i = 0; next == null && i < later.size(); i++) {
                    if (later.get(i).due() <= clock) {
                        next = later.remove(i).task();
                    }
                }
                if (next == null) {
                    return;
                }
                next.run();
            }
            throw new AssertionError("drains kept rescheduling themselves");
        }

        boolean idle() {
            return now.isEmpty() && later.isEmpty();
        }
    }

    /** Records what reaches the client. */
    static final class Client implements StreamObserver<WatchResponse> {
        final List<WatchResponse> got = new ArrayList<>();
        Throwable error;

        @Override
        public void onNext(WatchResponse r) {
            got.add(r);
        }

        @Override
        public void onError(Throwable t) {
            error = t;
        }

        @Override
        public void onCompleted() {
        }
    }

    private final ManualDrains drains = new ManualDrains();
    private final Client client = new Client();
    private final WatchStats stats = new WatchStats();

    private StreamSender sender(int buffer) {
        return new StreamSender(client, WatchConfig.defaults().withStreamBuffer(buffer), drains, stats);
    }

    private static WatchResponse events(long watchId, long revision) {
        Event e = Event.newBuilder().setKv(KeyValue.newBuilder().setModRevision(revision)
                .setKey(com.google.protobuf.ByteString.copyFromUtf8("k"))).build();
        return WatchResponse.newBuilder().setWatchId(watchId)
                .setHeader(ResponseHeader.newBuilder().setRevision(revision)).addEvents(e).build();
    }

    private static WatchResponse progress(long revision) {
        return WatchResponse.newBuilder().setWatchId(WatchCore.PROGRESS_WATCH_ID)
                .setHeader(ResponseHeader.newBuilder().setRevision(revision)).build();
    }

    private static List<Long> revisions(WatchResponse r) {
        return r.getEventsList().stream().map(e -> e.getKv().getModRevision()).toList();
    }

    @Test
    void boundsRefuseInsteadOfWaitingAndEverythingFlowsInOrderAfter() {
        StreamSender sender = sender(3);
        WatchResponse control = WatchResponse.newBuilder().setWatchId(1).setCreated(true).build();
        int controls = 0;
        while (sender.offerControl(control) && controls < 1_000) {
            controls++;
        }
        // Distinct watchers: nothing to merge, so every offer needs a slot of its own.
        boolean eventsRefused = !sender.offerEvents(List.of(events(1, 2)));
        drains.runDue();
        boolean acceptedAgain = sender.offerEvents(List.of(events(1, 3)))
                && sender.offerEvents(List.of(events(2, 3))) && sender.offerEvents(List.of(events(3, 3)));
        boolean overBudget = sender.offerEvents(List.of(events(4, 3)));

        assertThat(controls).as("controls stop at the buffer's capacity").isEqualTo(3 + 16);
        assertThat(eventsRefused).as("a full buffer refuses events instead of waiting").isTrue();
        assertThat(client.got).hasSize(controls);
        assertThat(acceptedAgain).isTrue();
        assertThat(overBudget).as("three event responses fill a buffer of three").isFalse();
    }

    @Test
    void aWatchersQueuedResponseTakesTheNextRevisionsWithTheNewestHeader() {
        StreamSender sender = sender(128);
        sender.offerEvents(List.of(events(1, 10)));
        sender.offerEvents(List.of(events(2, 10)));
        sender.offerEvents(List.of(events(1, 11)));
        sender.offerEvents(List.of(events(1, 12)));
        assertThat(sender.pendingEvents()).isEqualTo(4);
        drains.runDue();

        assertThat(client.got).hasSize(2);
        assertThat(client.got.get(0).getWatchId()).isEqualTo(1);
        assertThat(revisions(client.got.get(0))).containsExactly(10L, 11L, 12L);
        assertThat(client.got.get(0).getHeader().getRevision()).isEqualTo(12);
        assertThat(revisions(client.got.get(1))).containsExactly(10L);
        assertThat(sender.pendingEvents()).isZero();
        assertThat(stats.eventsSent()).isEqualTo(4);
    }

    @Test
    void nothingGrowsAcrossAControlResponseOrPastAFragment() {
        StreamSender sender = sender(128);
        sender.offerEvents(List.of(events(1, 10)));
        sender.offerControl(progress(10));
        sender.offerEvents(List.of(events(1, 11)));
        WatchResponse fragment = events(1, 12).toBuilder().setFragment(true).build();
        sender.offerEvents(List.of(fragment, events(1, 12)));
        sender.offerEvents(List.of(events(1, 13)));
        drains.runDue();

        assertThat(client.got).extracting(WatchResponse::getWatchId).containsExactly(1L, -1L, 1L, 1L, 1L, 1L);
        assertThat(revisions(client.got.get(0))).containsExactly(10L);
        assertThat(revisions(client.got.get(2))).as("not merged into the response before the progress")
                .containsExactly(11L);
        assertThat(revisions(client.got.get(5))).as("not merged into the response before the fragments")
                .containsExactly(13L);
    }

    @Test
    void mergingStopsAtTheStreamsByteBudget() {
        StreamSender sender = sender(128);
        long base = 1L << 21; // every revision below 2^28 encodes in the same 4 bytes: equal sizes
        long size = events(1, base).getSerializedSize();
        long fits = StreamSender.MERGE_BUDGET_BYTES / size;
        long offers = fits + 10;
        for (long rev = base; rev < base + offers; rev++) {
            assertThat(sender.offerEvents(List.of(events(1, rev)))).isTrue();
        }
        drains.runDue();

        assertThat(client.got.size()).as("one grown response, then one response per offer over the budget")
                .isBetween(2, 12);
        assertThat(client.got.stream().mapToLong(WatchResponse::getEventsCount).sum()).isEqualTo(offers);
        assertThat(client.got.getFirst().getSerializedSize()).isLessThanOrEqualTo((int) StreamSender.MERGE_BUDGET_BYTES + 64);
    }

    @Test
    void aBurstHoldsTheNextDrainBackSoRevisionsCoalesce() {
        StreamSender sender = sender(128);
        for (long w = 1; w <= 10; w++) {
            sender.offerEvents(List.of(events(w, 10)));
        }
        drains.runDue();
        assertThat(client.got).hasSize(10);

        sender.offerEvents(List.of(events(1, 11)));
        sender.offerEvents(List.of(events(1, 12)));
        drains.runDue();
        assertThat(client.got).as("paced: nothing before 10 x the pace has passed").hasSize(10);
        assertThat(drains.delays).hasSize(1);
        assertThat(drains.delays.getFirst()).isEqualTo(10 * StreamSender.PACE_NANOS_PER_MESSAGE);

        drains.clock += 10 * StreamSender.PACE_NANOS_PER_MESSAGE;
        drains.runDue();
        assertThat(client.got).hasSize(11);
        assertThat(revisions(client.got.getLast())).containsExactly(11L, 12L);

        drains.clock += StreamSender.PACE_MAX_NANOS; // idle long past the pace
        sender.offerEvents(List.of(events(1, 13)));
        drains.runDue();
        assertThat(client.got).as("a quiet stream sends at once").hasSize(12);
        assertThat(drains.idle()).isTrue();
    }

    @Test
    void aFailureIsSentAfterWhatIsQueuedAndAnAbandonedStreamSendsNothing() {
        StreamSender failing = sender(128);
        failing.offerEvents(List.of(events(1, 10)));
        failing.fail(new IllegalStateException("watch stream control buffer full"));
        assertThat(failing.offerEvents(List.of(events(1, 11)))).as("no offers after the end").isFalse();
        drains.runDue();
        assertThat(client.got).hasSize(1);
        assertThat(client.error).isInstanceOf(StatusRuntimeException.class)
                .hasMessageContaining("RESOURCE_EXHAUSTED").hasMessageContaining("control buffer full");
        assertThat(stats.senders).doesNotContain(failing);

        Client other = new Client();
        StreamSender abandoned = new StreamSender(other, WatchConfig.defaults(), drains, stats);
        abandoned.offerEvents(List.of(events(1, 10)));
        abandoned.abandon();
        drains.runDue();
        assertThat(other.got).isEmpty();
        assertThat(abandoned.pendingEvents()).isZero();
        assertThat(stats.senders).doesNotContain(abandoned);
    }
}
