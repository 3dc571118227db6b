package io.etcdj.server.watch;

import com.google.protobuf.ByteString;
import io.etcdj.api.mvccpb.Event;
import io.etcdj.api.mvccpb.KeyValue;
import io.etcdj.server.mvcc.CompactedException;
import io.etcdj.server.mvcc.History;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * A deliberately simple store model for watch tests: every revision's events kept in a list, the
 * live keys in a map. Writes produce events exactly like the MVCC store's (PUT with prev_kv when the
 * key existed, DELETE with the deleted kv as prev_kv).
 */
final class FakeHistory implements HistorySource {
    /** revisions.get(r) = events of revision r; revision 1 is the empty initial one. */
    private final List<List<Event>> revisions = new ArrayList<>(List.of(List.of(), List.of()));
    private final Map<String, KeyValue> live = new TreeMap<>();
    private long compacted = -1;

    long current() {
        return revisions.size() - 1;
    }

    /** One txn: puts (value non-null) and deletes of distinct keys; returns its events (maybe none). */
    List<Event> write(Map<String, String> ops) {
        long rev = current() + 1;
        List<Event> events = new ArrayList<>();
        ops.forEach((key, value) -> {
            KeyValue prev = live.get(key);
            if (value == null) {
                if (prev != null) {
                    live.remove(key);
                    events.add(Event.newBuilder().setType(Event.EventType.DELETE)
                            .setKv(KeyValue.newBuilder().setKey(bytes(key)).setModRevision(rev)).setPrevKv(prev).build());
                }
                return;
            }
            KeyValue kv = KeyValue.newBuilder().setKey(bytes(key)).setValue(bytes(value))
                    .setCreateRevision(prev == null ? rev : prev.getCreateRevision()).setModRevision(rev)
                    .setVersion(prev == null ? 1 : prev.getVersion() + 1).build();
            live.put(key, kv);
            Event.Builder e = Event.newBuilder().setType(Event.EventType.PUT).setKv(kv);
            if (prev != null) {
                e.setPrevKv(prev);
            }
            events.add(e.build());
        });
        if (!events.isEmpty()) {
            revisions.add(List.copyOf(events));
        }
        return events;
    }

    void compact(long rev) {
        compacted = Math.max(compacted, rev);
    }

    List<Event> eventsAt(long rev) {
        return revisions.get((int) rev);
    }

    @Override
    public long currentRevision() {
        return current();
    }

    @Override
    public long compactRevision() {
        return compacted;
    }

    @Override
    public History.Batch read(long from, long to, int maxEvents) {
        if (from < compacted) {
            throw new CompactedException(from, compacted);
        }
        List<Event> out = new ArrayList<>();
        for (long r = from; r <= to; r++) {
            if (out.size() >= maxEvents && !eventsAt(r).isEmpty()) {
                return new History.Batch(out, r - 1);
            }
            // History events carry no prev_kv: the catch-up looks it up when asked for.
            eventsAt(r).forEach(e -> out.add(e.toBuilder().clearPrevKv().build()));
        }
        return new History.Batch(out, to);
    }

    @Override
    public KeyValue previous(byte[] key, long modRevision) {
        if (modRevision - 1 < compacted) {
            return null;
        }
        return previousUncompacted(ByteString.copyFrom(key), modRevision);
    }

    /** The key's value before {@code modRevision}, ignoring compaction (the checker's truth). */
    KeyValue previousUncompacted(ByteString key, long modRevision) {
        for (long r = modRevision - 1; r >= 1; r--) {
            for (Event e : eventsAt(r)) {
                if (e.getKv().getKey().equals(key)) {
                    return e.getType() == Event.EventType.PUT ? e.getKv() : null;
                }
            }
        }
        return null;
    }

    static ByteString bytes(String s) {
        return ByteString.copyFromUtf8(s);
    }
}
