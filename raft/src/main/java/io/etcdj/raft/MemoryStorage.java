package io.etcdj.raft;

import java.util.ArrayList;
import java.util.List;

/**
 * {@link Storage} held in memory, for tests, simulation and as the in-memory cache of a
 * WAL-backed server. Methods are synchronized so one writer thread (the raft loop persisting a
 * Ready) and one reader thread may share it.
 *
 * <p>Invariant: {@code entries.get(0)} is a dummy entry carrying the index and term of the last
 * compacted entry (the snapshot's), so {@code term(firstIndex() - 1)} always answers.
 */
public final class MemoryStorage implements Storage {

    private HardState hardState = HardState.EMPTY;
    private Snapshot snapshot = Snapshot.EMPTY;
    private ArrayList<Entry> entries = new ArrayList<>();

    public MemoryStorage() {
        entries.add(new Entry(0, 0, EntryType.NORMAL, null));
    }

    @Override
    public synchronized InitialState initialState() {
        return new InitialState(hardState, snapshot.metadata().confState());
    }

    public synchronized void setHardState(HardState state) {
        this.hardState = state;
    }

    @Override
    public synchronized List<Entry> entries(long lo, long hi, long maxSizeBytes) {
        long offset = entries.get(0).index();
        if (lo <= offset) {
            throw new CompactedException();
        }
        if (hi > lastIndexLocked() + 1) {
            throw new IllegalArgumentException(
                    "entries' hi(" + hi + ") is out of bound lastindex(" + lastIndexLocked() + ")");
        }
        if (entries.size() == 1) {
            throw new UnavailableException();
        }
        return limitSize(entries, (int) (lo - offset), (int) (hi - offset), maxSizeBytes);
    }

    /** Copies {@code list[from, to)} but stops once more than {@code maxSizeBytes} would be taken. */
    static List<Entry> limitSize(List<Entry> list, int from, int to, long maxSizeBytes) {
        List<Entry> out = new ArrayList<>(Math.min(to - from, 64));
        long size = 0;
        for (int i = from; i < to; i++) {
            Entry e = list.get(i);
            size += e.payloadSize();
            if (!out.isEmpty() && size > maxSizeBytes) {
                break;
            }
            out.add(e);
        }
        return out;
    }

    @Override
    public synchronized long term(long index) {
        long offset = entries.get(0).index();
        if (index < offset) {
            throw new CompactedException();
        }
        if (index - offset >= entries.size()) {
            throw new UnavailableException();
        }
        return entries.get((int) (index - offset)).term();
    }

    @Override
    public synchronized long lastIndex() {
        return lastIndexLocked();
    }

    private long lastIndexLocked() {
        return entries.get(0).index() + entries.size() - 1;
    }

    @Override
    public synchronized long firstIndex() {
        return entries.get(0).index() + 1;
    }

    @Override
    public synchronized Snapshot snapshot() {
        return snapshot;
    }

    /** Replaces the whole content with {@code snap} (a follower installing a leader's snapshot). */
    public synchronized void applySnapshot(Snapshot snap) {
        if (snapshot.metadata().index() >= snap.metadata().index()) {
            throw new SnapshotOutOfDateException();
        }
        snapshot = snap;
        entries = new ArrayList<>();
        entries.add(new Entry(snap.metadata().term(), snap.metadata().index(), EntryType.NORMAL, null));
    }

    /**
     * Records a snapshot of the application state at {@code index} (which must be applied). Log
     * entries stay until {@link #compact}.
     */
    public synchronized Snapshot createSnapshot(long index, ConfState confState, byte[] data) {
        if (index <= snapshot.metadata().index()) {
            throw new SnapshotOutOfDateException();
        }
        long offset = entries.get(0).index();
        Invariants.check(index <= lastIndexLocked(),
                "snapshot %d is out of bound lastindex(%d)", index, lastIndexLocked());
        long term = entries.get((int) (index - offset)).term();
        snapshot = new Snapshot(data, new SnapshotMetadata(confState, index, term));
        return snapshot;
    }

    /** Discards entries up to and including {@code compactIndex}; it becomes the dummy entry. */
    public synchronized void compact(long compactIndex) {
        long offset = entries.get(0).index();
        if (compactIndex <= offset) {
            throw new CompactedException();
        }
        Invariants.check(compactIndex <= lastIndexLocked(),
                "compact %d is out of bound lastindex(%d)", compactIndex, lastIndexLocked());
        int i = (int) (compactIndex - offset);
        ArrayList<Entry> kept = new ArrayList<>(entries.size() - i);
        Entry cut = entries.get(i);
        kept.add(new Entry(cut.term(), cut.index(), EntryType.NORMAL, null));
        kept.addAll(entries.subList(i + 1, entries.size()));
        entries = kept;
    }

    /**
     * Appends entries, which must be contiguous with the log or overlap it; an overlapping suffix
     * is replaced (a new leader overwrote it). Entries already compacted are skipped.
     */
    public synchronized void append(List<Entry> newEntries) {
        if (newEntries.isEmpty()) {
            return;
        }
        long first = entries.get(0).index() + 1;
        long newFirst = newEntries.get(0).index();
        long newLast = newFirst + newEntries.size() - 1;
        if (newLast < first) {
            return;
        }
        List<Entry> toAdd = newEntries;
        if (first > newFirst) {
            toAdd = newEntries.subList((int) (first - newFirst), newEntries.size());
        }
        long offset = toAdd.get(0).index() - entries.get(0).index();
        Invariants.check(offset <= entries.size(),
                "missing log entry [last: %d, append at: %d]", lastIndexLocked(), toAdd.get(0).index());
        if (offset < entries.size()) {
            entries.subList((int) offset, entries.size()).clear();
        }
        entries.addAll(toAdd);
    }
}
