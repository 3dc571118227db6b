package io.etcdj.server.watch;

import com.google.protobuf.ByteString;
import io.etcdj.api.etcdserverpb.ResponseHeader;
import io.etcdj.api.etcdserverpb.WatchCreateRequest;
import io.etcdj.api.etcdserverpb.WatchResponse;
import io.etcdj.api.mvccpb.Event;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.LongFunction;

/**
 * The watch state machine (etcd's watchableStore + serverWatchStream bookkeeping), single-threaded:
 * the hub thread calls every method, tests call them directly. It never waits: each response goes
 * to a bounded {@link WatchSink}, and a refused events response turns the watcher into a victim that
 * {@link #sync} later catches up from the store.
 *
 * <p>Invariant: {@link #revision} is the newest revision whose events have been matched against the
 * synced group; a synced watcher has been offered every event of its range in
 * {@code [minRev, revision]}; an unsynced one every event below its {@code minRev}.
 */
final class WatchCore {
    static final long PROGRESS_WATCH_ID = -1;
    static final String DUPLICATE_ID = "mvcc: duplicate watch ID provided on the WatchStream";
    static final String EMPTY_RANGE = "mvcc: watcher range is empty";

    private final HistorySource history;
    private final LongFunction<ResponseHeader> header;
    private final WatchConfig config;
    private final SyncedGroup synced = new SyncedGroup();
    private final Set<Watcher> unsynced = new LinkedHashSet<>();
    private final Set<WatchStreamState> streams = new LinkedHashSet<>();
    private final CatchUp catchUp;
    private final WatchStats stats = new WatchStats();
    private long revision;

    WatchCore(HistorySource history, LongFunction<ResponseHeader> header, WatchConfig config, long startRevision) {
        this.history = history;
        this.header = header;
        this.config = config;
        this.revision = startRevision;
        this.catchUp = new CatchUp(history, config);
    }

    long revision() {
        return revision;
    }

    int unsyncedCount() {
        return unsynced.size();
    }

    int syncedCount() {
        return synced.size();
    }

    WatchStats stats() {
        return stats;
    }

    WatchStreamState openStream(WatchSink sink) {
        WatchStreamState s = new WatchStreamState(sink);
        addStream(s);
        return s;
    }

    void addStream(WatchStreamState s) {
        if (streams.add(s)) {
            stats.streams.incrementAndGet();
        }
    }

    void closeStream(WatchStreamState s) {
        if (!streams.remove(s)) {
            return;
        }
        s.closed = true;
        for (Watcher w : s.watchers.values()) {
            detach(w);
        }
        stats.streams.decrementAndGet();
        stats.watchers.addAndGet(-s.watchers.size());
        s.watchers.clear();
        stats.slowWatchers.set(unsynced.size());
    }

    /** A create_request: created response first, then the watcher starts (etcd's order). */
    void create(WatchStreamState s, WatchCreateRequest request, long nowNanos) {
        if (s.closed) {
            return;
        }
        ByteString key = request.getKey().isEmpty() ? ByteString.copyFrom(new byte[] {0}) : request.getKey();
        ByteString end = normalizeEnd(request.getRangeEnd());
        String refusal = null;
        if (end != null && !end.isEmpty() && Watcher.KEY_ORDER.compare(key, end) >= 0) {
            refusal = EMPTY_RANGE;
        } else if (request.getWatchId() != 0 && s.watchers.containsKey(request.getWatchId())) {
            refusal = DUPLICATE_ID;
        }
        // Counted before the store's revision is read: the apply thread reads the count after
        // publishing a revision and skips the hub while it is 0 (WatchHub.onRevision), so either
        // this read sees that revision or the apply thread sees this watcher.
        stats.watchers.incrementAndGet();
        // etcd's "now" for a new watch is the store's revision, which may be ahead of the hub's: a
        // write the client saw acknowledged before creating the watch must not show up in it.
        long storeRev = Math.max(revision, history.currentRevision());
        if (refusal != null) {
            stats.watchers.decrementAndGet();
            control(s, WatchResponse.newBuilder().setHeader(header.apply(storeRev)).setWatchId(-1)
                    .setCreated(true).setCanceled(true).setCancelReason(refusal).build());
            return;
        }
        long id = request.getWatchId() != 0 ? request.getWatchId() : nextId(s);
        Watcher w = new Watcher(s, id, key, end, request);
        w.minRev = request.getStartRevision() > 0 ? request.getStartRevision() : storeRev + 1;
        w.lastSentNanos = nowNanos;
        s.watchers.put(id, w);
        if (!control(s, WatchResponse.newBuilder().setHeader(header.apply(storeRev)).setWatchId(id)
                .setCreated(true).build())) {
            return;
        }
        if (w.minRev > revision) {
            synced.add(w); // level already, or waiting for a future revision
        } else {
            unsynced.add(w);
            stats.slowWatchers.set(unsynced.size());
        }
    }

    /** A cancel_request; an unknown id gets no answer, as in etcd. */
    void cancel(WatchStreamState s, long id) {
        Watcher w = s.watchers.remove(id);
        if (w == null) {
            return;
        }
        detach(w);
        stats.watchers.decrementAndGet();
        stats.slowWatchers.set(unsynced.size());
        control(s, WatchResponse.newBuilder().setHeader(header.apply(revision)).setWatchId(id)
                .setCanceled(true).build());
    }

    /** A progress_request: answered once every watcher of the stream is synced. */
    void requestProgress(WatchStreamState s) {
        s.progressPending = true;
        maybeSendProgress(s);
    }

    /** One revision's changes from the store, in revision order (a gap means the inbox dropped some). */
    void onRevision(long rev, List<Event> events, long nowNanos) {
        if (rev <= revision) {
            return; // already covered: the hub caught up to the store's revision past this one
        }
        if (rev > revision + 1) {
            demoteSynced(revision + 1, rev - 1);
        }
        revision = rev;
        Map<Watcher, List<Event>> perWatcher = new LinkedHashMap<>();
        for (Event e : events) {
            // The event without its prev_kv, built once and shared by every watcher that did not
            // ask for it (a copy per watcher was 1,000 copies of each event at 1,000 watchers,
            // each then sized and serialized on its own).
            Event withoutPrevKv = null;
            for (Watcher w : synced.matching(e.getKv().getKey())) {
                if (w.minRev > rev) {
                    continue; // starts at a future revision
                }
                if (w.filtersOut(e)) {
                    continue;
                }
                Event seen = e;
                if (w.wantsWithoutPrevKv(e)) {
                    if (withoutPrevKv == null) {
                        withoutPrevKv = e.toBuilder().clearPrevKv().build();
                    }
                    seen = withoutPrevKv;
                }
                perWatcher.computeIfAbsent(w, k -> new ArrayList<>()).add(seen);
            }
        }
        perWatcher.forEach((w, list) -> {
            if (deliver(w, list, rev, nowNanos)) {
                w.minRev = rev + 1;
            } else {
                synced.remove(w); // a victim: catch it up from the store from this revision on
                w.minRev = Math.max(w.minRev, rev);
                unsynced.add(w);
            }
        });
        stats.slowWatchers.set(unsynced.size());
        streams.forEach(this::maybeSendProgress);
    }

    /**
     * The hub found the store ahead of the revisions it was told about (its inbox dropped the
     * tail): every synced watcher catches up from the store instead.
     */
    void skipTo(long storeRevision) {
        if (storeRevision > revision) {
            demoteSynced(revision + 1, storeRevision);
            revision = storeRevision;
        }
    }

    /** One catch-up step for up to maxWatchersPerSync unsynced watchers. */
    void sync(long nowNanos) {
        if (unsynced.isEmpty()) {
            return;
        }
        List<Watcher> chosen = new ArrayList<>();
        for (Watcher w : unsynced) {
            if (chosen.size() == config.maxWatchersPerSync()) {
                break;
            }
            chosen.add(w);
        }
        CatchUp.Result result = catchUp.step(chosen, revision, header, nowNanos);
        for (Watcher w : result.compacted()) {
            // etcd keeps a compacted watcher in its stream until the client cancels it: the id stays
            // taken, a cancel of it is answered, and a progress request waits (it is not synced).
            unsynced.remove(w);
            w.compacted = true;
        }
        for (Watcher w : chosen) {
            if (unsynced.contains(w) && w.minRev > revision) {
                unsynced.remove(w);
                synced.add(w);
            }
        }
        stats.slowWatchers.set(unsynced.size());
        streams.forEach(this::maybeSendProgress);
    }

    /** Progress notifications for idle synced watchers that asked for them (progress_notify). */
    void tick(long nowNanos) {
        long interval = config.progressNotifyInterval().toNanos();
        for (Watcher w : synced.all()) {
            // No notification for a watch still waiting for its start revision (etcd PR #20229).
            if (!w.progressNotify || w.minRev > revision + 1 || nowNanos - w.lastSentNanos < interval) {
                continue;
            }
            WatchResponse notify = WatchResponse.newBuilder().setHeader(header.apply(revision)).setWatchId(w.id).build();
            if (w.stream.sink.offerEvents(List.of(notify))) {
                w.lastSentNanos = nowNanos;
            }
        }
    }

    private boolean deliver(Watcher w, List<Event> events, long headerRev, long nowNanos) {
        WatchResponse response = WatchResponse.newBuilder().setHeader(header.apply(headerRev)).setWatchId(w.id)
                .addAllEvents(events).build();
        if (w.stream.sink.offerEvents(Fragments.split(response, w.fragment, config.maxResponseBytes()))) {
            w.lastSentNanos = nowNanos;
            return true;
        }
        return false;
    }

    private void maybeSendProgress(WatchStreamState s) {
        if (!s.progressPending || !s.allSynced()) {
            return;
        }
        if (s.watchers.isEmpty()) {
            s.progressPending = false; // etcd 3.6 answers nothing on a stream without watchers
            return;
        }
        WatchResponse progress = WatchResponse.newBuilder().setHeader(header.apply(revision))
                .setWatchId(PROGRESS_WATCH_ID).build();
        if (s.sink.offerControl(progress)) {
            s.progressPending = false;
        }
    }

    /** Synced watchers that needed a revision of {@code [fromRev, toRev]} become unsynced. */
    private void demoteSynced(long fromRev, long toRev) {
        for (Watcher w : synced.all()) {
            if (w.minRev <= toRev) {
                synced.remove(w);
                w.minRev = Math.max(w.minRev, fromRev);
                unsynced.add(w);
            }
        }
        stats.slowWatchers.set(unsynced.size());
    }

    private void detach(Watcher w) {
        if (w.synced) {
            synced.remove(w);
        } else {
            unsynced.remove(w);
        }
    }

    /** Queues a control response; a stream that cannot take even that is ended. */
    private boolean control(WatchStreamState s, WatchResponse response) {
        if (s.sink.offerControl(response)) {
            return true;
        }
        s.sink.fail(new IllegalStateException("watch stream control buffer full"));
        closeStream(s);
        return false;
    }

    private static long nextId(WatchStreamState s) {
        while (s.watchers.containsKey(s.nextId)) {
            s.nextId++;
        }
        return s.nextId++;
    }

    /** etcd's v3rpc rules: empty end = one key; "\0" = every key ≥ key. */
    private static ByteString normalizeEnd(ByteString end) {
        if (end.isEmpty()) {
            return null;
        }
        if (end.size() == 1 && end.byteAt(0) == 0) {
            return ByteString.EMPTY;
        }
        return end;
    }
}
