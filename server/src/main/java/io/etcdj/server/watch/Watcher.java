package io.etcdj.server.watch;

import com.google.protobuf.ByteString;
import io.etcdj.api.etcdserverpb.WatchCreateRequest;
import io.etcdj.api.mvccpb.Event;
import java.util.Comparator;

/**
 * One watch: a key or a range, the next revision it must hear about, and its options. Owned by the
 * hub thread.
 */
final class Watcher {
    static final Comparator<ByteString> KEY_ORDER = ByteString.unsignedLexicographicalComparator();

    final WatchStreamState stream;
    final long id;
    final ByteString key;
    /** Null: just {@link #key}; empty: every key ≥ key; otherwise the exclusive end. */
    final ByteString end;
    final boolean prevKv;
    final boolean noPut;
    final boolean noDelete;
    final boolean progressNotify;
    final boolean fragment;
    /** Every event below this revision has been queued to the stream (or filtered out). */
    long minRev;
    /** In the synced group (level with the hub) rather than the unsynced one. */
    boolean synced;
    /** Cancelled by the server for compaction; in neither group, still in its stream until cancelled. */
    boolean compacted;
    /** Hub clock time of the last response queued for this watcher (progress notifications). */
    long lastSentNanos;

    Watcher(WatchStreamState stream, long id, ByteString key, ByteString end, WatchCreateRequest request) {
        this.stream = stream;
        this.id = id;
        this.key = key;
        this.end = end;
        this.prevKv = request.getPrevKv();
        this.noPut = request.getFiltersList().contains(WatchCreateRequest.FilterType.NOPUT);
        this.noDelete = request.getFiltersList().contains(WatchCreateRequest.FilterType.NODELETE);
        this.progressNotify = request.getProgressNotify();
        this.fragment = request.getFragment();
    }

    boolean isRange() {
        return end != null;
    }

    boolean contains(ByteString k) {
        if (end == null) {
            return key.equals(k);
        }
        return KEY_ORDER.compare(k, key) >= 0 && (end.isEmpty() || KEY_ORDER.compare(k, end) < 0);
    }

    /** The event as this watcher sees it: null when filtered out, prev_kv only if asked for. */
    Event view(Event event) {
        if (filtersOut(event)) {
            return null;
        }
        return wantsWithoutPrevKv(event) ? event.toBuilder().clearPrevKv().build() : event;
    }

    /** A NOPUT or NODELETE filter drops the event. */
    boolean filtersOut(Event event) {
        return event.getType() == Event.EventType.PUT ? noPut : noDelete;
    }

    /** The event carries a prev_kv this watcher did not ask for. */
    boolean wantsWithoutPrevKv(Event event) {
        return !prevKv && event.hasPrevKv();
    }

    @Override
    public String toString() {
        return "watcher " + id + " [" + key.toStringUtf8() + ", " + (end == null ? "-" : end.toStringUtf8())
                + ") minRev " + minRev + (synced ? " synced" : " unsynced");
    }
}
