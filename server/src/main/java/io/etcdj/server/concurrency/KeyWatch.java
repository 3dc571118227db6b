package io.etcdj.server.concurrency;

import com.google.protobuf.ByteString;
import io.etcdj.api.etcdserverpb.WatchCreateRequest;
import io.etcdj.api.etcdserverpb.WatchResponse;
import io.etcdj.server.watch.HubStream;
import io.grpc.stub.StreamObserver;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;

/**
 * Watchers on one stream of the member's watch hub, read by the one recipe thread that opened it.
 * The hub's sender thread hands responses over through a bounded queue and waits while it is full,
 * so a slow reader turns into the hub's usual back-pressure (the watcher falls behind and is caught
 * up from the store), never into memory. Closing drops the stream and unblocks the sender.
 */
final class KeyWatch implements AutoCloseable {
    /** Responses waiting for the recipe thread. */
    static final int MAX_QUEUED_RESPONSES = 64;
    /** Stands for the end of the stream in {@link #responses}; compared by identity. */
    private static final WatchResponse ENDED = WatchResponse.newBuilder().setWatchId(Long.MIN_VALUE).build();

    private final BlockingQueue<WatchResponse> responses = new ArrayBlockingQueue<>(MAX_QUEUED_RESPONSES);
    private final HubStream stream;
    private volatile boolean closed;
    private volatile Throwable failure;

    private KeyWatch(LocalClient client) {
        this.stream = client.openWatch(new Receiver());
    }

    static KeyWatch open(LocalClient client) {
        return new KeyWatch(client);
    }

    /** Watches {@code key} (and up to {@code rangeEnd}, if not empty) from {@code startRevision}. */
    void watch(long watchId, ByteString key, ByteString rangeEnd, long startRevision,
            WatchCreateRequest.FilterType... filters) {
        WatchCreateRequest.Builder create = WatchCreateRequest.newBuilder().setWatchId(watchId).setKey(key)
                .setStartRevision(startRevision);
        if (!rangeEnd.isEmpty()) {
            create.setRangeEnd(rangeEnd);
        }
        for (WatchCreateRequest.FilterType filter : filters) {
            create.addFilters(filter);
        }
        stream.create(create.build());
    }

    /**
     * The next response that matters: one with events, or a cancellation (a start revision that
     * was compacted away: the caller reads again). Creation responses are skipped.
     */
    WatchResponse next() throws InterruptedException {
        while (true) {
            WatchResponse response = responses.take();
            if (response == ENDED) {
                responses.offer(ENDED); // stays ended for a later call
                Throwable f = failure;
                throw RecipeErrors.toStatus(f != null ? f : new IllegalStateException("watch stream ended"));
            }
            if (response.getCanceled()) {
                if (response.getCompactRevision() == 0) {
                    throw RecipeErrors.toStatus(new IllegalStateException(
                            "watch refused: " + response.getCancelReason()));
                }
                return response;
            }
            if (response.getEventsCount() > 0) {
                return response;
            }
        }
    }

    @Override
    public void close() {
        closed = true;
        stream.close();
        responses.clear(); // lets a sender blocked on a full queue finish its last hand-over
    }

    private final class Receiver implements StreamObserver<WatchResponse> {
        @Override
        public void onNext(WatchResponse response) {
            hand(response);
        }

        @Override
        public void onError(Throwable error) {
            failure = error;
            hand(ENDED);
        }

        @Override
        public void onCompleted() {
            hand(ENDED);
        }

        private void hand(WatchResponse response) {
            if (closed) {
                return;
            }
            try {
                responses.put(response);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
