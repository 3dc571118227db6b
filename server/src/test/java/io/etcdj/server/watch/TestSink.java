package io.etcdj.server.watch;

import io.etcdj.api.etcdserverpb.WatchResponse;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;

/** A stream buffer with the real one's bounds that a test drains by hand; keeps what it delivered. */
final class TestSink implements WatchSink {
    private final int maxEvents;
    private final int controlReserve;
    private final Deque<WatchResponse> queued = new ArrayDeque<>();
    private int queuedEvents;
    private int queuedControls;
    final List<WatchResponse> delivered = new ArrayList<>();
    Throwable failure;

    TestSink(int maxEvents, int controlReserve) {
        this.maxEvents = maxEvents;
        this.controlReserve = controlReserve;
    }

    @Override
    public boolean offerEvents(List<WatchResponse> responses) {
        if (queuedEvents + responses.size() > maxEvents) {
            return false;
        }
        queuedEvents += responses.size();
        queued.addAll(responses);
        return true;
    }

    @Override
    public boolean offerControl(WatchResponse response) {
        if (queuedControls >= controlReserve) {
            return false;
        }
        queuedControls++;
        queued.add(response.toBuilder().build());
        return true;
    }

    @Override
    public void fail(Throwable error) {
        failure = error;
    }

    /** The client reads up to {@code n} responses. */
    void drain(int n) {
        for (int i = 0; i < n && !queued.isEmpty(); i++) {
            WatchResponse r = queued.poll();
            if (isControl(r)) {
                queuedControls--;
            } else {
                queuedEvents--;
            }
            delivered.add(r);
        }
    }

    void drainAll() {
        drain(Integer.MAX_VALUE);
    }

    int queued() {
        return queued.size();
    }

    private static boolean isControl(WatchResponse r) {
        return r.getCreated() || r.getCanceled() || r.getWatchId() == WatchCore.PROGRESS_WATCH_ID;
    }
}
