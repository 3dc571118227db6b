package io.etcdj.server.storage.backend;

import io.etcdj.server.storage.schema.Bucket;
import java.util.Arrays;
import java.util.Iterator;
import java.util.Map;
import java.util.NavigableMap;
import java.util.TreeMap;

/** A read view: buffered batches first (newest wins), then LMDB. */
class OverlayReadTxn implements ReadTxn {
    final Backend backend;
    private final View view;
    /** Borrowed on first use of committed state, after the view was captured; released by close. */
    private Backend.Reader reader;
    private boolean closed;

    OverlayReadTxn(Backend backend, View view) {
        this.backend = backend;
        this.view = view;
    }

    /** The batches this txn consults before LMDB, captured when it began. */
    View view() {
        return view;
    }

    private Backend.Reader reader() {
        Checks.check(!closed, "use of a closed read txn");
        if (reader == null) {
            reader = backend.openReader();
        }
        return reader;
    }

    @Override
    public byte[] get(Bucket bucket, byte[] key) {
        for (Overlay overlay : view().newestFirst()) {
            byte[] value = overlay.get(bucket, key);
            if (value != null) {
                return value == Overlay.DELETED ? null : value.clone();
            }
        }
        return reader().env().get(reader().txn(), bucket, key);
    }

    @Override
    public void forEach(Bucket bucket, byte[] from, byte[] to, Visitor visitor) {
        if (to != null && Arrays.compareUnsigned(from, to) >= 0) {
            return; // empty range
        }
        NavigableMap<byte[], byte[]> buffered = bufferedRange(bucket, from, to);
        Iterator<Map.Entry<byte[], byte[]>> pending = buffered.entrySet().iterator();
        Map.Entry<byte[], byte[]>[] head = new Map.Entry[] {pending.hasNext() ? pending.next() : null};
        boolean[] stopped = {false};
        reader().env().scan(reader().txn(), bucket, from, to, (key, value) -> {
            // Emit buffered entries ordered before this committed key first.
            while (head[0] != null && Arrays.compareUnsigned(head[0].getKey(), key) < 0) {
                if (!emit(head[0], visitor)) {
                    stopped[0] = true;
                    return false;
                }
                head[0] = pending.hasNext() ? pending.next() : null;
            }
            if (head[0] != null && Arrays.equals(head[0].getKey(), key)) {
                Map.Entry<byte[], byte[]> shadow = head[0];
                head[0] = pending.hasNext() ? pending.next() : null;
                boolean more = emit(shadow, visitor);
                stopped[0] = !more;
                return more;
            }
            boolean more = visitor.visit(key, value);
            stopped[0] = !more;
            return more;
        });
        while (!stopped[0] && head[0] != null) {
            if (!emit(head[0], visitor)) {
                return;
            }
            head[0] = pending.hasNext() ? pending.next() : null;
        }
    }

    /** A deleted key is skipped (the visitor continues); a buffered value is handed out as a copy. */
    private static boolean emit(Map.Entry<byte[], byte[]> entry, Visitor visitor) {
        if (entry.getValue() == Overlay.DELETED) {
            return true;
        }
        return visitor.visit(entry.getKey().clone(), entry.getValue().clone());
    }

    /** Buffered writes in range, oldest batch applied first so newer batches overwrite. */
    private NavigableMap<byte[], byte[]> bufferedRange(Bucket bucket, byte[] from, byte[] to) {
        TreeMap<byte[], byte[]> merged = new TreeMap<>(Arrays::compareUnsigned);
        Overlay[] newest = view().newestFirst();
        for (int i = newest.length - 1; i >= 0; i--) {
            NavigableMap<byte[], byte[]> map = newest[i].bucket(bucket);
            merged.putAll(to == null ? map.tailMap(from, true) : map.subMap(from, true, to, false));
        }
        return merged;
    }

    /** Returns the LMDB read txn (reset: it pins no pages afterwards) and the env read lock. */
    @Override
    public void close() {
        closed = true;
        if (reader != null) {
            Backend.Reader r = reader;
            reader = null;
            backend.closeReader(r);
        }
    }
}
