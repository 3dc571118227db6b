package io.etcdj.raft;

import java.util.ArrayList;
import java.util.List;

/**
 * Entries (and possibly a snapshot) raft holds that the application has not yet persisted.
 * {@code entries.get(i)} has index {@code offset + i}. Once {@link Ready} hands them out and
 * {@link RawNode#advance} confirms they were written, they are dropped via {@link #stableTo}.
 */
final class UnstableLog {

    /** An incoming snapshot not yet persisted, or null. */
    private Snapshot snapshot;
    private final ArrayList<Entry> entries = new ArrayList<>();
    private long offset;

    UnstableLog(long offset) {
        this.offset = offset;
    }

    Snapshot snapshot() {
        return snapshot;
    }

    long offset() {
        return offset;
    }

    List<Entry> entries() {
        return entries;
    }

    /** The first index, if only a snapshot is known here; -1 otherwise. */
    long maybeFirstIndex() {
        return snapshot != null ? snapshot.metadata().index() + 1 : -1;
    }

    /** The last index held here, or -1 if nothing is. */
    long maybeLastIndex() {
        if (!entries.isEmpty()) {
            return offset + entries.size() - 1;
        }
        return snapshot != null ? snapshot.metadata().index() : -1;
    }

    /** The term at {@code index} if held here, or -1. */
    long maybeTerm(long index) {
        if (index < offset) {
            if (snapshot != null && snapshot.metadata().index() == index) {
                return snapshot.metadata().term();
            }
            return -1;
        }
        long last = maybeLastIndex();
        if (last == -1 || index > last) {
            return -1;
        }
        return entries.get((int) (index - offset)).term();
    }

    /** Entries up to ({@code index}, {@code term}) were persisted: forget them. */
    void stableTo(long index, long term) {
        long held = maybeTerm(index);
        // Only if the entry is still ours: a newer leader may have overwritten it meanwhile.
        if (held != term || index < offset) {
            return;
        }
        int drop = (int) (index + 1 - offset);
        entries.subList(0, drop).clear();
        offset = index + 1;
    }

    void stableSnapTo(long index) {
        if (snapshot != null && snapshot.metadata().index() == index) {
            snapshot = null;
        }
    }

    void restore(Snapshot snap) {
        offset = snap.metadata().index() + 1;
        entries.clear();
        snapshot = snap;
    }

    /** Appends entries that follow on, or replaces a conflicting suffix. */
    void truncateAndAppend(List<Entry> newEntries) {
        long after = newEntries.get(0).index();
        if (after == offset + entries.size()) {
            entries.addAll(newEntries);
        } else if (after <= offset) {
            // Replaces everything unstable; the log truncates its durable part via append.
            offset = after;
            entries.clear();
            entries.addAll(newEntries);
        } else {
            entries.subList((int) (after - offset), entries.size()).clear();
            entries.addAll(newEntries);
        }
    }

    /** Entries {@code [lo, hi)}, which must lie within the unstable range. */
    List<Entry> slice(long lo, long hi) {
        Invariants.check(lo >= offset && hi <= offset + entries.size() && lo <= hi,
                "unstable.slice[%d,%d) out of bound [%d,%d]", lo, hi, offset + entries.size());
        return entries.subList((int) (lo - offset), (int) (hi - offset));
    }
}
