package io.etcdj.server.watch;

import io.etcdj.api.etcdserverpb.ResponseHeader;
import io.etcdj.api.etcdserverpb.WatchResponse;
import io.etcdj.api.mvccpb.Event;
import io.etcdj.api.mvccpb.KeyValue;
import io.etcdj.server.mvcc.CompactedException;
import io.etcdj.server.mvcc.History;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.LongFunction;

/**
 * One sync step for unsynced watchers (etcd's syncWatchers): cancel those whose next revision was
 * compacted, read one batch of history from the lowest next revision, and offer each watcher its
 * events of the batch as one response. A watcher whose stream refuses stays where it was.
 */
final class CatchUp {
    private final HistorySource history;
    private final WatchConfig config;

    CatchUp(HistorySource history, WatchConfig config) {
        this.history = history;
        this.config = config;
    }

    record Result(List<Watcher> compacted) {
    }

    Result step(List<Watcher> chosen, long upTo, LongFunction<ResponseHeader> header, long nowNanos) {
        List<Watcher> compacted = new ArrayList<>();
        List<Watcher> live = new ArrayList<>();
        long compactRev = history.compactRevision();
        for (Watcher w : chosen) {
            if (w.minRev < compactRev) {
                // etcd's compaction cancel carries no revision: its header says 0.
                WatchResponse cancel = WatchResponse.newBuilder().setHeader(header.apply(0)).setWatchId(w.id)
                        .setCanceled(true).setCompactRevision(compactRev).build();
                if (w.stream.sink.offerControl(cancel)) {
                    compacted.add(w);
                }
            } else if (w.minRev <= upTo) {
                live.add(w);
            }
        }
        if (live.isEmpty()) {
            return new Result(compacted);
        }
        long from = live.stream().mapToLong(w -> w.minRev).min().orElseThrow();
        History.Batch batch;
        try {
            batch = history.read(from, upTo, config.maxEventsPerSync());
        } catch (CompactedException e) {
            return new Result(compacted); // a compaction overtook the read: next step cancels them
        }
        Map<Integer, KeyValue> previous = new HashMap<>();
        for (Watcher w : live) {
            offer(w, batch, previous, header, nowNanos);
        }
        return new Result(compacted);
    }

    private void offer(Watcher w, History.Batch batch, Map<Integer, KeyValue> previous,
            LongFunction<ResponseHeader> header, long nowNanos) {
        List<Event> mine = new ArrayList<>();
        List<Event> events = batch.events();
        for (int i = 0; i < events.size(); i++) {
            Event e = events.get(i);
            if (e.getKv().getModRevision() < w.minRev || !w.contains(e.getKv().getKey())) {
                continue;
            }
            Event seen = w.view(e);
            if (seen == null) {
                continue;
            }
            if (w.prevKv) {
                int index = i;
                KeyValue prev = previous.computeIfAbsent(index,
                        k -> history.previous(e.getKv().getKey().toByteArray(), e.getKv().getModRevision()));
                if (prev != null) {
                    seen = seen.toBuilder().setPrevKv(prev).build();
                }
            }
            mine.add(seen);
        }
        if (mine.isEmpty()) {
            // Never backwards: a watcher whose next revision lies past this batch keeps it.
            w.minRev = Math.max(w.minRev, batch.lastRevision() + 1);
            return;
        }
        WatchResponse response = WatchResponse.newBuilder().setHeader(header.apply(batch.lastRevision()))
                .setWatchId(w.id).addAllEvents(mine).build();
        if (w.stream.sink.offerEvents(Fragments.split(response, w.fragment, config.maxResponseBytes()))) {
            w.minRev = batch.lastRevision() + 1;
            w.lastSentNanos = nowNanos;
        }
    }
}
