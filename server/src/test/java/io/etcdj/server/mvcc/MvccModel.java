package io.etcdj.server.mvcc;

import com.google.protobuf.ByteString;
import io.etcdj.api.mvccpb.Event;
import io.etcdj.api.mvccpb.KeyValue;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.zip.CRC32C;

/**
 * A deliberately simple reference: every change ever made, as a list of facts per key, and
 * brute-force answers. No index, no generations, no compaction (compaction only changes which
 * revisions may be asked for).
 */
final class MvccModel {
    /** One change: a put (kv != null) or a tombstone, at revision main.sub. */
    record Fact(long main, long sub, String key, KeyValue kv) {
    }

    final TreeMap<String, List<Fact>> history = new TreeMap<>();
    /** Negative control: when set, the model answers like a store whose count honours the limit. */
    boolean plantedCountBug;
    long currentRev = 1;
    long compactRev = -1;
    /** Changes of the open txn; their main is currentRev + 1. */
    final List<Event> pending = new ArrayList<>();

    long readRev() {
        return pending.isEmpty() ? currentRev : currentRev + 1;
    }

    KeyValue visible(String key, long atMain) {
        KeyValue out = null;
        for (Fact f : history.getOrDefault(key, List.of())) {
            if (f.main() <= atMain) {
                out = f.kv();
            }
        }
        return out;
    }

    void put(String key, String value, long lease) {
        long main = currentRev + 1;
        KeyValue prev = visible(key, main);
        KeyValue kv = KeyValue.newBuilder().setKey(bs(key)).setValue(bs(value))
                .setCreateRevision(prev == null ? main : prev.getCreateRevision())
                .setModRevision(main).setVersion(prev == null ? 1 : prev.getVersion() + 1).setLease(lease).build();
        history.computeIfAbsent(key, k -> new ArrayList<>()).add(new Fact(main, pending.size(), key, kv));
        Event.Builder e = Event.newBuilder().setType(Event.EventType.PUT).setKv(kv);
        if (prev != null) {
            e.setPrevKv(prev);
        }
        pending.add(e.build());
    }

    long deleteRange(String key, String end) {
        long main = currentRev + 1;
        long rrev = readRev();
        long n = 0;
        for (String k : keysInRange(key, end)) {
            KeyValue prev = visible(k, rrev);
            if (prev != null) {
                history.get(k).add(new Fact(main, pending.size(), k, null));
                pending.add(Event.newBuilder().setType(Event.EventType.DELETE)
                        .setKv(KeyValue.newBuilder().setKey(bs(k)).setModRevision(main)).setPrevKv(prev).build());
                n++;
            }
        }
        return n;
    }

    List<Event> end() {
        List<Event> events = List.copyOf(pending);
        if (!pending.isEmpty()) {
            currentRev++;
        }
        pending.clear();
        return events;
    }

    /** end: null = single key; "\0" = all keys ≥ key. */
    List<String> keysInRange(String key, String end) {
        List<String> out = new ArrayList<>();
        for (String k : history.keySet()) {
            boolean in = end == null ? k.equals(key)
                    : end.equals("\0") ? k.compareTo(key) >= 0
                    : k.compareTo(key) >= 0 && k.compareTo(end) < 0;
            if (in) {
                out.add(k);
            }
        }
        return out;
    }

    /** The Range answer, or the exception class name the store must throw. */
    Object range(String key, String end, RangeOptions o) {
        long cur = readRev();
        if (o.revision() > cur) {
            return FutureRevisionException.class;
        }
        long rev = o.revision() <= 0 ? cur : o.revision();
        if (rev < compactRev) {
            return CompactedException.class;
        }
        List<KeyValue> all = new ArrayList<>();
        for (String k : keysInRange(key, end)) {
            KeyValue kv = visible(k, rev);
            if (kv != null) {
                all.add(kv);
            }
        }
        if (o.countOnly()) {
            return new RangeResult(List.of(), false, all.size(), cur);
        }
        boolean filtersOrSorts = o.sortOrder() != RangeOptions.SortOrder.NONE || o.minModRevision() != 0
                || o.maxModRevision() != 0 || o.minCreateRevision() != 0 || o.maxCreateRevision() != 0;
        List<KeyValue> picked = !filtersOrSorts && o.limit() > 0
                ? new ArrayList<>(all.subList(0, (int) Math.min(all.size(), o.limit() + 1))) : new ArrayList<>(all);
        picked.removeIf(kv -> (o.maxModRevision() != 0 && kv.getModRevision() > o.maxModRevision())
                || (o.minModRevision() != 0 && kv.getModRevision() < o.minModRevision())
                || (o.maxCreateRevision() != 0 && kv.getCreateRevision() > o.maxCreateRevision())
                || (o.minCreateRevision() != 0 && kv.getCreateRevision() < o.minCreateRevision()));
        boolean descend = o.sortOrder() == RangeOptions.SortOrder.DESCEND;
        boolean sorts = descend || o.sortTarget() != RangeOptions.SortTarget.KEY;
        if (sorts) {
            Comparator<KeyValue> c = switch (o.sortTarget()) {
                case KEY -> Comparator.comparing(kv -> kv.getKey().toStringUtf8());
                case VERSION -> Comparator.comparingLong(KeyValue::getVersion);
                case CREATE -> Comparator.comparingLong(KeyValue::getCreateRevision);
                case MOD -> Comparator.comparingLong(KeyValue::getModRevision);
                case VALUE -> Comparator.comparing(kv -> kv.getValue().toStringUtf8());
            };
            picked.sort(descend ? c.reversed() : c);
        }
        boolean more = o.limit() > 0 && picked.size() > o.limit();
        if (more) {
            picked = new ArrayList<>(picked.subList(0, (int) o.limit()));
        }
        if (o.keysOnly()) {
            picked.replaceAll(kv -> kv.toBuilder().setValue(ByteString.EMPTY).build());
        }
        long count = plantedCountBug && o.limit() > 0 ? Math.min(all.size(), o.limit()) : all.size();
        return new RangeResult(List.copyOf(picked), more, count, cur);
    }

    /** Facts that a compaction at compactRev leaves in the key bucket, by revision key. */
    Map<String, KeyValue> survivors() {
        Map<String, KeyValue> out = new TreeMap<>();
        for (Map.Entry<String, List<Fact>> e : history.entrySet()) {
            Fact keep = null;
            for (Fact f : e.getValue()) {
                if (f.main() <= compactRev) {
                    keep = f;
                } else {
                    out.put(revKey(f), stored(f));
                }
            }
            if (keep != null && keep.kv() != null) {
                out.put(revKey(keep), stored(keep));
            }
        }
        return out;
    }

    /** CRC-32C over "key" and the survivors up to hashRev, in revision order. */
    int hash(long hashRev) {
        CRC32C crc = new CRC32C();
        crc.update("key".getBytes(StandardCharsets.US_ASCII));
        for (Map.Entry<String, KeyValue> e : survivors().entrySet()) {
            byte[] k = java.util.HexFormat.of().parseHex(e.getKey());
            if (Revision.fromBytes(k).main() <= hashRev) {
                crc.update(k);
                crc.update(e.getValue().toByteArray());
            }
        }
        return (int) crc.getValue();
    }

    private static String revKey(Fact f) {
        Revision r = new Revision(f.main(), f.sub());
        byte[] k = f.kv() == null ? r.toTombstoneBytes() : r.toBytes();
        return java.util.HexFormat.of().formatHex(k);
    }

    private static KeyValue stored(Fact f) {
        return f.kv() != null ? f.kv() : KeyValue.newBuilder().setKey(bs(f.key())).build();
    }

    static ByteString bs(String s) {
        return ByteString.copyFromUtf8(s);
    }
}
