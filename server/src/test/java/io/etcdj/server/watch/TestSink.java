package io.etcdj.server.watch;

import io.etcdj.api.etcdserverpb.WatchResponse;
import java.util.ArrayList;
import java.util.List;

/**
 * A stream that a test reads by hand, over the real {@link StreamOutbox} (so its bounds and, when a
 * merge budget is given, its coalescing are the ones the server uses); keeps what it delivered.
 */
final class TestSink implements WatchSink {
    private final StreamOutbox outbox;
    final List<WatchResponse> delivered = new ArrayList<>();
    Throwable failure;

    /** Without coalescing: every offered response is delivered as offered. */
    TestSink(int maxEvents, int controlReserve) {
        this(new StreamOutbox(maxEvents, controlReserve, 0));
    }

    TestSink(StreamOutbox outbox) {
        this.outbox = outbox;
    }

    @Override
    public boolean offerEvents(List<WatchResponse> responses) {
        return outbox.offerEvents(responses);
    }

    @Override
    public boolean offerControl(WatchResponse response) {
        return outbox.offerControl(response);
    }

    @Override
    public void fail(Throwable error) {
        failure = error;
    }

    /** The client reads up to {@code n} responses. */
    void drain(int n) {
        for (int i = 0; i < n && !outbox.isEmpty(); i++) {
            delivered.add(outbox.poll());
        }
    }

    void drainAll() {
        drain(Integer.MAX_VALUE);
    }

    int queued() {
        return outbox.size();
    }
}
