package io.etcdj.server.watch;

import io.etcdj.api.etcdserverpb.ResponseHeader;
import io.etcdj.api.etcdserverpb.WatchResponse;
import io.etcdj.api.mvccpb.Event;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * One stream's queue of responses not yet handed to gRPC: bounded, ordered, and coalescing. Not
 * thread-safe; {@link StreamSender} guards it with its lock.
 *
 * <p><b>Bounds.</b> At most {@code maxEventResponses} events responses, plus {@code controlReserve}
 * more slots for created, canceled and progress responses, plus one for the end of the stream that
 * every offer leaves free. Offers are all or none and never wait: a refused events offer makes the
 * watcher a victim (WatchCore), a refused control ends the stream.
 *
 * <p><b>Coalescing.</b> A gRPC message costs far more than the events in it, on both ends (Armeria
 * writes and flushes each message on its own; a client decodes and dispatches each), so while a
 * watcher's events response is still queued, the next events for that watcher join it instead of
 * queuing a second message. The rules keep etcd's guarantees:
 * <ul>
 *   <li>only whole, unfragmented responses with events merge, so a revision is never split and
 *       fragments stay as cut;
 *   <li>only a watcher's newest queued response grows, so later events never overtake a fragment
 *       or an empty (progress-notify) response queued after an older one;
 *   <li>a control response is a fence that nothing queued before it may grow across, so a progress
 *       revision never follows events newer than it;
 *   <li>a merged response carries the newest header;
 *   <li>merging stops once {@code mergeBudgetBytes} are queued, so a stalled client holds at most
 *       that plus the response bound, as before coalescing.
 * </ul>
 */
class StreamOutbox {
    /** What {@link #poll} returns for the end of the stream. */
    static final WatchResponse END = WatchResponse.newBuilder().setWatchId(Long.MIN_VALUE).build();

    private final int maxEventResponses;
    private final int capacity;
    private final long mergeBudgetBytes;
    private final ArrayDeque<Entry> queue = new ArrayDeque<>();
    /** Watch id → its newest queued events response, if queued after the last fence. */
    private final Map<Long, Entry> mergeable = new HashMap<>();
    private int eventResponses;
    private long bytes;
    private long events;

    StreamOutbox(int maxEventResponses, int controlReserve, long mergeBudgetBytes) {
        this.maxEventResponses = maxEventResponses;
        this.capacity = maxEventResponses + controlReserve + 1;
        this.mergeBudgetBytes = mergeBudgetBytes;
    }

    /** Queues (or merges) one revision's responses for one watcher, all or none. */
    boolean offerEvents(List<WatchResponse> responses) {
        if (responses.size() == 1 && merge(responses.getFirst())) {
            return true;
        }
        boolean room = eventResponses + responses.size() <= maxEventResponses
                && capacity - queue.size() - 1 >= responses.size();
        if (!room) {
            return false;
        }
        for (WatchResponse r : responses) {
            Entry entry = add(r, true);
            eventResponses++;
            if (responses.size() == 1 && entry.canGrow()) {
                mergeable.put(r.getWatchId(), entry);
            } else {
                mergeable.remove(r.getWatchId());
            }
        }
        return true;
    }

    boolean offerControl(WatchResponse response) {
        if (capacity - queue.size() - 1 <= 0) {
            return false;
        }
        add(response, false);
        fence();
        return true;
    }

    /** Queues the end of the stream; always fits, since every offer leaves a slot for it. */
    void offerEnd() {
        add(END, false);
        fence();
    }

    /** Nothing queued so far may take later events. Overridden only by a test that plants a bug. */
    void fence() {
        mergeable.clear();
    }

    /** The next message to send ({@link #END} for the end of the stream), or null if none is queued. */
    WatchResponse poll() {
        Entry entry = take();
        return entry == null ? null : entry.build();
    }

    /**
     * Every queued entry, in order. Taken entries no longer grow, so the caller builds their messages
     * ({@link Entry#build}) after letting go of the lock that guards this outbox.
     */
    List<Entry> takeAll() {
        List<Entry> out = new ArrayList<>(queue.size());
        for (Entry e; (e = take()) != null; ) {
            out.add(e);
        }
        return out;
    }

    private Entry take() {
        Entry entry = queue.poll();
        if (entry == null) {
            return null;
        }
        if (entry.event) {
            eventResponses--;
        }
        mergeable.remove(entry.first.getWatchId(), entry);
        bytes -= entry.bytes;
        events -= entry.events;
        return entry;
    }

    void clear() {
        queue.clear();
        mergeable.clear();
        eventResponses = 0;
        bytes = 0;
        events = 0;
    }

    boolean isEmpty() {
        return queue.isEmpty();
    }

    /** Messages queued (merges do not add any). */
    int size() {
        return queue.size();
    }

    /** Events queued, merged ones included. */
    long events() {
        return events;
    }

    private Entry add(WatchResponse response, boolean event) {
        Entry entry = new Entry(response, event);
        queue.add(entry);
        bytes += entry.bytes;
        events += response.getEventsCount();
        return entry;
    }

    private boolean merge(WatchResponse response) {
        if (response.getEventsCount() == 0 || response.getFragment()) {
            return false;
        }
        Entry pending = mergeable.get(response.getWatchId());
        long size = response.getSerializedSize();
        if (pending == null || bytes + size > mergeBudgetBytes) {
            return false;
        }
        pending.absorb(response, size);
        bytes += size;
        events += response.getEventsCount();
        return true;
    }

    /** A queued response and the ones merged into it. */
    static final class Entry {
        private final WatchResponse first;
        private final boolean event;
        private long bytes;
        private long events;
        /** The events of this response and of those merged into it, in order; null until the first merge. */
        private ArrayList<Event> merged;
        /** The newest merged response's header. */
        private ResponseHeader newestHeader;

        private Entry(WatchResponse first, boolean event) {
            this.first = first;
            this.event = event;
            this.bytes = first.getSerializedSize();
            this.events = first.getEventsCount();
        }

        boolean isEnd() {
            return first == END;
        }

        private boolean canGrow() {
            return event && first.getEventsCount() > 0 && !first.getFragment();
        }

        private void absorb(WatchResponse next, long size) {
            if (merged == null) {
                merged = new ArrayList<>(first.getEventsCount() * 8);
                merged.addAll(first.getEventsList());
            }
            merged.addAll(next.getEventsList());
            newestHeader = next.getHeader();
            bytes += size;
            events += next.getEventsCount();
        }

        /** The first response with the merged events appended and the newest header. */
        WatchResponse build() {
            if (merged == null) {
                return first;
            }
            return first.toBuilder().clearEvents().addAllEvents(merged).setHeader(newestHeader).build();
        }
    }
}
