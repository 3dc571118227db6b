package io.etcdj.server.watch;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import io.etcdj.api.etcdserverpb.ResponseHeader;
import io.etcdj.api.etcdserverpb.WatchCreateRequest;
import io.etcdj.api.etcdserverpb.WatchResponse;
import io.etcdj.api.mvccpb.Event;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** etcd's watch behaviours one by one, on the hub's state machine with a model store. */
class WatchCoreTest {
    private final FakeHistory model = new FakeHistory();
    private final WatchCore core = new WatchCore(model, rev -> ResponseHeader.newBuilder().setRevision(rev).build(),
            WatchConfig.defaults().withStreamBuffer(2).withProgressNotifyInterval(Duration.ofSeconds(10)), 1);
    private final TestSink sink = new TestSink(2, 16);
    private final WatchStreamState stream = core.openStream(sink);

    private long write(String key, String value) {
        Map<String, String> ops = new LinkedHashMap<>();
        ops.put(key, value);
        List<Event> events = model.write(ops);
        core.onRevision(model.current(), events, 0);
        return model.current();
    }

    private static WatchCreateRequest watch(String key) {
        return WatchCreateRequest.newBuilder().setKey(ByteString.copyFromUtf8(key)).build();
    }

    @Test
    void createdComesFirstWithTheCurrentRevisionThenEachRevisionAlone() {
        write("a", "0");
        core.create(stream, watch("a"), 0);
        long r1 = write("a", "1");
        long r2 = write("a", "2");
        sink.drainAll();

        assertThat(sink.delivered).hasSize(3);
        assertThat(sink.delivered.get(0).getCreated()).isTrue();
        assertThat(sink.delivered.get(0).getHeader().getRevision()).isEqualTo(r1 - 1);
        assertThat(sink.delivered.get(1).getEventsList()).extracting(e -> e.getKv().getModRevision()).containsExactly(r1);
        assertThat(sink.delivered.get(2).getEventsList()).extracting(e -> e.getKv().getModRevision()).containsExactly(r2);
        assertThat(sink.delivered.get(1).getEvents(0).hasPrevKv()).as("prev_kv only when asked").isFalse();
    }

    @Test
    void aFullBufferMakesAVictimThatCatchesUpFromHistoryInOrder() {
        core.create(stream, watch("a").toBuilder().setPrevKv(true).build(), 0);
        for (int i = 0; i < 6; i++) {
            write("a", "v" + i);
        }
        assertThat(core.unsyncedCount()).as("the third revision found the buffer full").isEqualTo(1);
        for (int round = 0; round < 10 && core.unsyncedCount() > 0; round++) {
            sink.drainAll();
            core.sync(0);
        }
        sink.drainAll();

        List<Event> events = sink.delivered.stream().flatMap(r -> r.getEventsList().stream()).toList();
        assertThat(events).extracting(e -> e.getKv().getValue().toStringUtf8())
                .containsExactly("v0", "v1", "v2", "v3", "v4", "v5");
        assertThat(events.get(3).getPrevKv().getValue().toStringUtf8()).as("prev_kv looked up in history").isEqualTo("v2");
        assertThat(core.syncedCount()).isEqualTo(1);
    }

    @Test
    void aCompactedStartIsCreatedThenCanceledWithTheCompactRevision() {
        write("a", "1");
        write("a", "2");
        long compactAt = write("a", "3");
        model.compact(compactAt);
        core.create(stream, watch("a").toBuilder().setStartRevision(2).build(), 0);
        core.sync(0);
        sink.drainAll();

        assertThat(sink.delivered).hasSize(2);
        assertThat(sink.delivered.get(0).getCreated()).isTrue();
        assertThat(sink.delivered.get(1).getCanceled()).isTrue();
        assertThat(sink.delivered.get(1).getCompactRevision()).isEqualTo(compactAt);
        assertThat(sink.delivered.get(1).getHeader().getRevision()).as("etcd sends no revision here").isZero();
        // As in etcd, the id stays taken until the client cancels it, and that cancel is answered.
        assertThat(stream.watchers).containsKey(0L);
        core.create(stream, watch("b"), 0);
        core.cancel(stream, 0);
        sink.drainAll();
        assertThat(sink.delivered.get(2).getWatchId()).as("auto id skips the compacted one").isEqualTo(1L);
        assertThat(sink.delivered.get(3).getWatchId()).isZero();
        assertThat(sink.delivered.get(3).getCanceled()).isTrue();
        assertThat(stream.watchers).doesNotContainKey(0L);
    }

    @Test
    void progressRequestWaitsUntilTheStreamIsSynced() {
        write("a", "1");
        core.create(stream, watch("a").toBuilder().setStartRevision(1).build(), 0);
        core.requestProgress(stream);
        sink.drainAll();
        assertThat(sink.delivered).extracting(WatchResponse::getWatchId).containsExactly(0L);

        core.sync(0);
        sink.drainAll();
        assertThat(sink.delivered).hasSize(3);
        WatchResponse progress = sink.delivered.get(2);
        assertThat(progress.getWatchId()).isEqualTo(-1);
        assertThat(progress.getEventsCount()).isZero();
        assertThat(progress.getHeader().getRevision()).isEqualTo(model.current());
    }

    @Test
    void progressRequestOnAStreamWithoutWatchersIsNotAnswered() {
        write("a", "1");
        core.requestProgress(stream);
        core.sync(0);
        sink.drainAll();
        assertThat(sink.delivered).as("etcd 3.6: no watcher, no progress response").isEmpty();
    }

    @Test
    void progressRequestWaitsWhileACompactedWatcherIsNotCancelledByTheClient() {
        write("a", "1");
        long compactAt = write("a", "2");
        model.compact(compactAt);
        core.create(stream, watch("a").toBuilder().setStartRevision(1).build(), 0);
        core.sync(0);
        core.requestProgress(stream);
        write("a", "3");
        sink.drainAll();
        assertThat(sink.delivered).extracting(WatchResponse::getCompactRevision).containsExactly(0L, compactAt);

        core.cancel(stream, 0);
        core.create(stream, watch("b"), 0);
        write("a", "4");
        sink.drainAll();
        assertThat(sink.delivered).hasSize(5);
        assertThat(sink.delivered.get(4).getWatchId()).as("progress once the compacted one is gone").isEqualTo(-1);
    }

    @Test
    void cancelAnswersCanceledAndStopsEvents() {
        core.create(stream, watch("a"), 0);
        core.cancel(stream, 0);
        write("a", "1");
        core.cancel(stream, 42); // unknown: no answer, as in etcd
        sink.drainAll();

        assertThat(sink.delivered).hasSize(2);
        assertThat(sink.delivered.get(1).getCanceled()).isTrue();
        assertThat(sink.delivered.get(1).getWatchId()).isZero();
    }

    @Test
    void duplicateClientWatchIdAndEmptyRangeAreRefusedAsEtcdDoes() {
        core.create(stream, watch("a").toBuilder().setWatchId(7).build(), 0);
        core.create(stream, watch("b").toBuilder().setWatchId(7).build(), 0);
        core.create(stream, watch("b").toBuilder().setRangeEnd(ByteString.copyFromUtf8("a")).build(), 0);
        sink.drainAll();

        assertThat(sink.delivered.get(1).getCancelReason()).isEqualTo(WatchCore.DUPLICATE_ID);
        assertThat(sink.delivered.get(2).getCancelReason()).isEqualTo(WatchCore.EMPTY_RANGE);
        assertThat(sink.delivered.get(2).getCreated()).isTrue();
    }

    @Test
    void filtersDropPutsOrDeletesServerSide() {
        core.create(stream, watch("a").toBuilder().addFilters(WatchCreateRequest.FilterType.NOPUT).build(), 0);
        write("a", "1");
        long deleted = write("a", null);
        sink.drainAll();

        assertThat(sink.delivered).hasSize(2);
        assertThat(sink.delivered.get(1).getEvents(0).getType()).isEqualTo(Event.EventType.DELETE);
        assertThat(sink.delivered.get(1).getEvents(0).getKv().getModRevision()).isEqualTo(deleted);
    }

    @Test
    void progressNotifyGoesToIdleWatchersOnTheFakeClockOnly() {
        core.create(stream, watch("a").toBuilder().setProgressNotify(true).build(), 0);
        core.create(stream, watch("b").toBuilder().setProgressNotify(true).setStartRevision(100).build(), 0);
        core.tick(Duration.ofSeconds(9).toNanos());
        sink.drainAll();
        assertThat(sink.delivered).hasSize(2);

        core.tick(Duration.ofSeconds(10).toNanos());
        sink.drainAll();
        assertThat(sink.delivered).hasSize(3);
        assertThat(sink.delivered.get(2).getWatchId()).as("not the future watch").isZero();
        assertThat(sink.delivered.get(2).getEventsCount()).isZero();
    }

    @Test
    void aDroppedHandOverIsNoticedAndCaughtUpFromTheStore() {
        core.create(stream, watch("a"), 0);
        Map<String, String> ops = new LinkedHashMap<>();
        ops.put("a", "lost");
        model.write(ops); // never handed to the hub (its inbox was full)
        write("a", "after");
        sink.drainAll();
        core.sync(0);
        sink.drainAll();

        assertThat(sink.delivered.stream().flatMap(r -> r.getEventsList().stream()))
                .extracting(e -> e.getKv().getValue().toStringUtf8()).containsExactly("lost", "after");
    }

    @Test
    void aWatchWithoutStartRevisionStartsAfterTheStoresRevisionNotTheHubs() {
        Map<String, String> ops = new LinkedHashMap<>();
        ops.put("a", "acknowledged");
        List<Event> events = model.write(ops); // applied and acknowledged; the hub has not seen it yet
        core.create(stream, watch("a"), 0);
        core.onRevision(model.current(), events, 0);
        long later = write("a", "later");
        sink.drainAll();

        assertThat(sink.delivered.get(0).getHeader().getRevision()).isEqualTo(later - 1);
        assertThat(sink.delivered.stream().flatMap(r -> r.getEventsList().stream()))
                .extracting(e -> e.getKv().getValue().toStringUtf8()).containsExactly("later");
    }

    @Test
    void fragmentSplitsABigResponseOnlyWhenAsked() {
        WatchResponse big = WatchResponse.newBuilder().addEvents(bigEvent("x")).addEvents(bigEvent("y"))
                .addEvents(bigEvent("z")).build();

        List<WatchResponse> parts = Fragments.split(big, true, 2_500);
        assertThat(parts).hasSize(3);
        assertThat(parts).extracting(WatchResponse::getFragment).containsExactly(true, true, false);
        assertThat(Fragments.split(big, false, 2_500)).containsExactly(big);
    }

    private static Event bigEvent(String key) {
        return Event.newBuilder().setKv(io.etcdj.api.mvccpb.KeyValue.newBuilder().setKey(ByteString.copyFromUtf8(key))
                .setValue(ByteString.copyFrom(new byte[2_000]))).build();
    }
}
