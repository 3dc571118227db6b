package io.etcdj.server.mvcc;

import io.etcdj.api.mvccpb.Event;
import io.etcdj.api.mvccpb.KeyValue;
import io.etcdj.server.storage.backend.Backend;
import io.etcdj.server.storage.backend.ReadTxn;
import io.etcdj.server.storage.schema.Bucket;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads the store's history as watch events: the changes of a span of revisions, straight from the
 * key bucket (which is ordered by revision), the way etcd's unsynced watchers catch up. Any thread;
 * takes no lock. A read that a compaction overtakes fails with {@link CompactedException} rather
 * than returning a history with holes. Unlike {@link MvccStore#events}, a batch ends only on a
 * revision boundary, so a watcher never sees part of a revision.
 */
public final class History {
    private final MvccStore store;
    private final Backend backend;

    public History(MvccStore store, Backend backend) {
        this.store = store;
        this.backend = backend;
    }

    /**
     * The events of whole revisions in {@code [from, to]}: {@code to} must not exceed the store's
     * current revision. Stops at the first revision boundary after {@code maxEvents} events (one
     * revision is never split), so {@link Batch#lastRevision()} may be below {@code to}.
     */
    public Batch read(long from, long to, int maxEvents) {
        Checks.check(from >= 1 && from <= to, "history span [%d, %d] is empty", from, to);
        Checks.check(to <= store.currentRevision(), "history up to %d beyond current %d", to,
                store.currentRevision());
        checkNotCompacted(from);
        List<Event> events = new ArrayList<>();
        long[] last = {to};
        try (ReadTxn txn = backend.beginRead()) {
            txn.forEach(Bucket.KEY, Revision.mainBound(from), Revision.mainBound(to + 1), (k, v) -> {
                Revision rev = Revision.fromBytes(k);
                if (events.size() >= maxEvents && rev.main() != events.getLast().getKv().getModRevision()) {
                    last[0] = rev.main() - 1;
                    return false;
                }
                events.add(HistoryEvents.toEvent(k, v));
                return true;
            });
        }
        // The compactor deletes only revisions below its revision: re-checking after the scan tells
        // whether any of ours might have gone while we read.
        checkNotCompacted(from);
        return new Batch(List.copyOf(events), last[0]);
    }

    /** The key's value just before {@code modRevision}; null if it had none or that is compacted. */
    public KeyValue previous(byte[] key, long modRevision) {
        if (modRevision <= 1) {
            return null;
        }
        try (TxnRead txn = store.read()) {
            RangeResult result = txn.range(key, null, RangeOptions.DEFAULT.withRevision(modRevision - 1));
            return result.kvs().isEmpty() ? null : result.kvs().getFirst();
        } catch (CompactedException e) {
            return null; // etcd: prev_kv is empty when the previous version is compacted
        }
    }

    public long compactRevision() {
        return store.compactRevision();
    }

    public long currentRevision() {
        return store.currentRevision();
    }

    private void checkNotCompacted(long from) {
        long compacted = store.compactRevision();
        if (from < compacted) {
            throw new CompactedException(from, compacted);
        }
    }

    /** Events of whole revisions, complete up to and including {@code lastRevision}. */
    public record Batch(List<Event> events, long lastRevision) {
    }
}
