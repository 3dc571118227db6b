package io.etcdj.tests.differential;

import com.google.protobuf.ByteString;
import com.google.protobuf.Message;
import io.etcdj.api.etcdserverpb.WatchCancelRequest;
import io.etcdj.api.etcdserverpb.WatchCreateRequest;
import io.etcdj.api.etcdserverpb.WatchGrpc;
import io.etcdj.api.etcdserverpb.WatchProgressRequest;
import io.etcdj.api.etcdserverpb.WatchRequest;
import io.etcdj.api.etcdserverpb.WatchResponse;
import io.etcdj.api.mvccpb.Event;
import io.grpc.Grpc;
import io.grpc.InsecureChannelCredentials;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.stub.StreamObserver;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;

/**
 * One server of the watch differential: its KV endpoint (plain blocking stub), a few Watch streams
 * on one channel, and a recorder stream whose single watcher sees every key from revision 1, so the
 * side knows its own history without asking. Everything a stream receives is logged in arrival
 * order; {@link WatchStreamComparator} compares the logs afterwards.
 */
final class WatchSide implements AutoCloseable {

    /** A bound for every wait on a stream; generous, as two cores are shared. */
    static final long WAIT_SECONDS = 20;
    /** Key and range end of the recorder's watcher: every key. */
    static final ByteString ALL = KeySpace.ZERO;

    /** A planted bug for the negative control: rewrites a response as it arrives. */
    @FunctionalInterface
    interface Perturbation {
        /** Null drops the response. */
        WatchResponse apply(int stream, int responseIndex, WatchResponse response);
    }

    private final String name;
    private final GrpcKvTarget kv;
    private final ManagedChannel channel;
    private final List<Stream> streams = new ArrayList<>();
    private final Perturbation perturbation;
    /** The newest revision this side's KV answers reported. */
    private long head = 1;
    /** Three turns of etcd's 100 ms watcher sync loop. */
    private static final long SYNC_LOOP_TURNS_MILLIS = 300;
    /** A watcher from a past revision was created since the last level point. */
    private boolean catchingUpSilently;

    WatchSide(String name, String endpoint, int streamCount, Perturbation perturbation) {
        this.name = name;
        this.kv = GrpcKvTarget.forEndpoint(name, endpoint, null);
        int colon = endpoint.lastIndexOf(':');
        this.channel = Grpc.newChannelBuilderForAddress(endpoint.substring(0, colon),
                Integer.parseInt(endpoint.substring(colon + 1)), InsecureChannelCredentials.create()).build();
        this.perturbation = perturbation;
        for (int i = 0; i <= streamCount; i++) {
            streams.add(new Stream(i));
        }
    }

    String name() {
        return name;
    }

    GrpcKvTarget kv() {
        return kv;
    }

    /** Every ordinary stream plus, last, the recorder. */
    List<Stream> streams() {
        return streams;
    }

    Stream recorder() {
        return streams.getLast();
    }

    /** Opens the recorder's watcher on every key from revision 1 and waits for it to be created. */
    void startRecorder() {
        recorder().create(WatchCreateRequest.newBuilder().setKey(ALL).setRangeEnd(ALL).setStartRevision(1)
                .setPrevKv(true).build());
    }

    void observe(Outcome outcome) {
        if (!outcome.isError()) {
            Message response = outcome.response();
            Message header = (Message) response.getField(response.getDescriptorForType().findFieldByName("header"));
            head = Math.max(head, (Long) header.getField(header.getDescriptorForType().findFieldByName("revision")));
        }
    }

    long head() {
        return head;
    }

    /**
     * Waits until every watcher of every stream has received its last event the recorder says it
     * must get, or was cancelled; returns what is still missing (empty when level).
     */
    String awaitLevel(long compactRevision) {
        if (catchingUpSilently) {
            // A watcher that started in the past but has nothing to receive gives no sign when its
            // server moves it to the synced group; etcd does that on its sync loop (every 100 ms).
            // Before a compaction it must be synced, or etcd cancels it: give the loop a few turns.
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(SYNC_LOOP_TURNS_MILLIS));
            catchingUpSilently = false;
        }
        Stream recorder = recorder();
        // Revision 1 is the empty store; every later revision has at least one event.
        boolean recorded = waitFor(() -> head <= 1 || recorder.lastRevision(0) >= head);
        if (!recorded) {
            return name + ": the recorder stopped at revision " + recorder.lastRevision(0) + " of " + head;
        }
        List<Map.Entry<Long, List<Event>>> history = recorder.history();
        for (Stream s : streams.subList(0, streams.size() - 1)) {
            for (WatcherModel w : s.watchersSnapshot()) {
                long last = w.lastMatching(history, compactRevision);
                if (!waitFor(() -> s.isDone(w, last))) {
                    return name + ": stream " + s.index + " watch " + w.id + " " + w.describe() + " got up to revision "
                            + s.lastRevision(w.id) + ", the recorder has a matching event at " + last;
                }
            }
        }
        return "";
    }

    static boolean waitFor(BooleanSupplier condition) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(WAIT_SECONDS);
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                return false;
            }
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(2));
        }
        return true;
    }

    @Override
    public void close() {
        for (Stream s : streams) {
            s.closeQuietly();
        }
        channel.shutdownNow();
        kv.close();
        try {
            channel.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** What the test asked a watcher to watch, and the created response that answered. */
    record WatcherModel(long id, WatchCreateRequest request, long createdRevision) {

        /** Newest revision of the history with an event this watcher must get; 0 if none. */
        long lastMatching(List<Map.Entry<Long, List<Event>>> history, long compactRevision) {
            long start = request.getStartRevision() > 0 ? request.getStartRevision() : createdRevision + 1;
            long last = 0;
            for (Map.Entry<Long, List<Event>> revision : history) {
                // Revisions at or below the compaction point may be partly gone: not waited for.
                if (revision.getKey() < start || revision.getKey() <= compactRevision && start <= compactRevision) {
                    continue;
                }
                for (Event e : revision.getValue()) {
                    if (matches(e)) {
                        last = revision.getKey();
                    }
                }
            }
            return last;
        }

        boolean matches(Event e) {
            boolean put = e.getType() == Event.EventType.PUT;
            if (put && request.getFiltersList().contains(WatchCreateRequest.FilterType.NOPUT)
                    || !put && request.getFiltersList().contains(WatchCreateRequest.FilterType.NODELETE)) {
                return false;
            }
            ByteString key = request.getKey().isEmpty() ? KeySpace.ZERO : request.getKey();
            ByteString end = request.getRangeEnd();
            ByteString k = e.getKv().getKey();
            var order = ByteString.unsignedLexicographicalComparator();
            if (end.isEmpty()) {
                return k.equals(key);
            }
            return order.compare(k, key) >= 0 && (end.equals(KeySpace.ZERO) || order.compare(k, end) < 0);
        }

        String describe() {
            return Printing.text(request);
        }
    }

    /** One Watch stream and everything it received. */
    final class Stream {
        final int index;
        private final StreamObserver<WatchRequest> requests;
        /** Guarded by this. */
        private final List<WatchResponse> received = new ArrayList<>();
        private final Map<Long, WatcherModel> watchers = new HashMap<>();
        private final Map<Long, Long> lastRevision = new HashMap<>();
        private final Map<Long, Boolean> canceled = new HashMap<>();
        private int arrivals;
        private int created;
        private int canceledCount;
        private int progress;
        private Status error;

        Stream(int index) {
            this.index = index;
            this.requests = WatchGrpc.newStub(channel).watch(new StreamObserver<>() {
                @Override
                public void onNext(WatchResponse response) {
                    arrived(response);
                }

                @Override
                public void onError(Throwable t) {
                    synchronized (Stream.this) {
                        error = Status.fromThrowable(t);
                    }
                }

                @Override
                public void onCompleted() {
                    synchronized (Stream.this) {
                        error = Status.OK.withDescription("completed by the server");
                    }
                }
            });
        }

        private synchronized void arrived(WatchResponse original) {
            WatchResponse response = perturbation == null ? original
                    : perturbation.apply(index, arrivals, original);
            arrivals++;
            if (response == null) {
                return;
            }
            received.add(response);
            if (response.getCreated()) {
                created++;
                if (!response.getCanceled()) {
                    // A reused id starts afresh; this runs in arrival order, before any of its events.
                    canceled.remove(response.getWatchId());
                    lastRevision.remove(response.getWatchId());
                }
            } else if (response.getCanceled()) {
                canceledCount++;
                canceled.put(response.getWatchId(), true);
            } else if (response.getWatchId() == -1 && response.getEventsCount() == 0) {
                progress++;
            }
            for (Event e : response.getEventsList()) {
                lastRevision.merge(response.getWatchId(), e.getKv().getModRevision(), Math::max);
            }
        }

        /** Sends a create request and waits for its created response; the response, or null. */
        WatchResponse create(WatchCreateRequest request) {
            int before;
            synchronized (this) {
                before = created;
            }
            if (request.getStartRevision() > 0 && request.getStartRevision() <= head) {
                catchingUpSilently = true;
            }
            send(WatchRequest.newBuilder().setCreateRequest(request).build());
            if (!waitFor(() -> createdCount() > before)) {
                return null;
            }
            synchronized (this) {
                WatchResponse answer = received.reversed().stream().filter(WatchResponse::getCreated).findFirst()
                        .orElseThrow();
                if (!answer.getCanceled()) {
                    watchers.put(answer.getWatchId(),
                            new WatcherModel(answer.getWatchId(), request, answer.getHeader().getRevision()));
                }
                return answer;
            }
        }

        /** Sends a cancel request and waits for a canceled response; false if none came. */
        boolean cancel(long watchId) {
            int before;
            synchronized (this) {
                before = canceledCount;
            }
            send(WatchRequest.newBuilder().setCancelRequest(WatchCancelRequest.newBuilder().setWatchId(watchId))
                    .build());
            boolean answered = waitFor(() -> canceledCountNow() > before);
            synchronized (this) {
                watchers.remove(watchId);
            }
            return answered;
        }

        /** Sends a progress request and waits for its answer; false if none came. */
        boolean requestProgress() {
            int before;
            synchronized (this) {
                before = progress;
            }
            send(WatchRequest.newBuilder().setProgressRequest(WatchProgressRequest.getDefaultInstance()).build());
            return waitFor(() -> progressCount() > before);
        }

        private void send(WatchRequest request) {
            synchronized (requests) {
                requests.onNext(request);
            }
        }

        private synchronized int createdCount() {
            return created;
        }

        private synchronized int canceledCountNow() {
            return canceledCount;
        }

        private synchronized int progressCount() {
            return progress;
        }

        synchronized long lastRevision(long watchId) {
            return lastRevision.getOrDefault(watchId, 0L);
        }

        synchronized boolean isCanceled(long watchId) {
            return canceled.getOrDefault(watchId, false);
        }

        synchronized boolean isDone(WatcherModel w, long lastMatching) {
            return canceled.getOrDefault(w.id(), false) || lastRevision.getOrDefault(w.id(), 0L) >= lastMatching;
        }

        synchronized List<WatcherModel> watchersSnapshot() {
            return List.copyOf(watchers.values());
        }

        /** Ids of watchers the test created and has not cancelled (compacted ones included). */
        synchronized List<Long> watchIds() {
            return watchers.keySet().stream().sorted().toList();
        }

        /** A watcher cancelled by the server (compaction) that the client has not cancelled yet. */
        synchronized boolean hasServerCanceled() {
            return watchers.keySet().stream().anyMatch(id -> canceled.getOrDefault(id, false));
        }

        synchronized List<WatchResponse> received() {
            return List.copyOf(received);
        }

        synchronized Status error() {
            return error;
        }

        /** The recorder's view: revision → its events, in revision order. */
        synchronized List<Map.Entry<Long, List<Event>>> history() {
            Map<Long, List<Event>> byRevision = new TreeMap<>();
            for (WatchResponse r : received) {
                for (Event e : r.getEventsList()) {
                    byRevision.computeIfAbsent(e.getKv().getModRevision(), k -> new ArrayList<>()).add(e);
                }
            }
            return List.copyOf(byRevision.entrySet());
        }

        void closeQuietly() {
            try {
                synchronized (requests) {
                    requests.onCompleted();
                }
            } catch (RuntimeException e) {
                // the channel is going away anyway
            }
        }
    }
}
