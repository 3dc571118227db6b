package io.etcdj.raft;

import java.util.ArrayList;
import java.util.List;

/**
 * The log as raft sees it: durable entries in {@link Storage} followed by unstable ones. Tracks
 * {@code committed} (known replicated on a quorum, §5.3) and {@code applied} (handed to the
 * application and confirmed by advance). Invariant: {@code applied <= committed <= lastIndex()}.
 */
final class RaftLog {

    private final Storage storage;
    final UnstableLog unstable;
    private long committed;
    private long applied;
    private final long maxCommittedSizePerReadyBytes;

    RaftLog(Storage storage, long maxCommittedSizePerReadyBytes) {
        this.storage = storage;
        this.maxCommittedSizePerReadyBytes = maxCommittedSizePerReadyBytes;
        long first = storage.firstIndex();
        long last = storage.lastIndex();
        this.unstable = new UnstableLog(last + 1);
        // Everything up to the snapshot is committed and applied by definition.
        this.committed = first - 1;
        this.applied = first - 1;
    }

    long committed() {
        return committed;
    }

    long applied() {
        return applied;
    }

    long firstIndex() {
        long i = unstable.maybeFirstIndex();
        return i != -1 ? i : storage.firstIndex();
    }

    long lastIndex() {
        long i = unstable.maybeLastIndex();
        return i != -1 ? i : storage.lastIndex();
    }

    long lastTerm() {
        return term(lastIndex());
    }

    /**
     * Term of entry {@code index}.
     *
     * @throws CompactedException before the first index - 1
     * @throws UnavailableException after the last index
     */
    long term(long index) {
        long t = unstable.maybeTerm(index);
        if (t != -1) {
            return t;
        }
        long dummy = firstIndex() - 1;
        if (index < dummy) {
            throw new CompactedException();
        }
        if (index > lastIndex()) {
            throw new UnavailableException();
        }
        return storage.term(index);
    }

    /** Term of {@code index}, or 0 if it is compacted or not yet known. */
    long termOrZero(long index) {
        long t = unstable.maybeTerm(index);
        if (t != -1) {
            return t;
        }
        if (index < firstIndex() - 1 || index > lastIndex()) {
            return 0;
        }
        try {
            return storage.term(index);
        } catch (CompactedException | UnavailableException e) {
            return 0;
        }
    }

    boolean matchTerm(long index, long term) {
        long t = termOrZero(index);
        return t != 0 && t == term || index == 0 && term == 0;
    }

    /** §5.4.1: is a log ending at ({@code lastIndex}, {@code lastTerm}) at least as up to date? */
    boolean isUpToDate(long otherLastIndex, long otherLastTerm) {
        long myTerm = lastTerm();
        return otherLastTerm > myTerm || (otherLastTerm == myTerm && otherLastIndex >= lastIndex());
    }

    /**
     * §5.3: if the entry at {@code index} has {@code logTerm}, appends {@code entries} (dropping a
     * conflicting suffix) and advances commit; returns the index of the last new entry, or -1 if
     * the log does not contain a matching entry at {@code index}.
     */
    long maybeAppend(long index, long logTerm, long leaderCommit, List<Entry> entries) {
        if (!matchTerm(index, logTerm)) {
            return -1;
        }
        long lastNew = index + entries.size();
        long conflict = findConflict(entries);
        if (conflict != 0) {
            // §5.4: committed entries are never overwritten.
            Invariants.check(conflict > committed,
                    "entry %d conflict with committed entry [committed(%d)]", conflict, committed);
            append(entries.subList((int) (conflict - (index + 1)), entries.size()));
        }
        commitTo(Math.min(leaderCommit, lastNew));
        return lastNew;
    }

    /** Appends entries at the end (or replacing the unstable tail); returns the new last index. */
    long append(List<Entry> entries) {
        if (entries.isEmpty()) {
            return lastIndex();
        }
        long after = entries.get(0).index() - 1;
        Invariants.check(after >= committed, "after(%d) is out of range [committed(%d)]", after, committed);
        unstable.truncateAndAppend(entries);
        return lastIndex();
    }

    /**
     * The index of the first entry whose term differs from ours, or of the first entry past our
     * log if all overlap matches; 0 if every entry is already present.
     */
    private long findConflict(List<Entry> entries) {
        for (int i = 0, n = entries.size(); i < n; i++) {
            Entry e = entries.get(i);
            if (!matchTerm(e.index(), e.term())) {
                return e.index();
            }
        }
        return 0;
    }

    /**
     * The largest index ≤ {@code index} whose term is ≤ {@code term}, with that term (0 if
     * unknown): where our log may match a log that has {@code term} at {@code index}. Lets a
     * rejection skip a whole term of divergent entries instead of one entry per round trip.
     */
    long[] findConflictByTerm(long index, long term) {
        for (long i = index; i > 0; i--) {
            long ours;
            try {
                ours = term(i);
            } catch (CompactedException | UnavailableException e) {
                return new long[] {i, 0};
            }
            if (ours <= term) {
                return new long[] {i, ours};
            }
        }
        return new long[] {0, 0};
    }

    /** §5.4.2: only entries of the current term are committed by counting replicas. */
    boolean maybeCommit(long maxIndex, long term) {
        if (maxIndex > committed && termOrZero(maxIndex) == term) {
            commitTo(maxIndex);
            return true;
        }
        return false;
    }

    void commitTo(long index) {
        // Commit never decreases (a stale leader message may carry a smaller one).
        if (committed < index) {
            Invariants.check(index <= lastIndex(),
                    "tocommit(%d) is out of range [lastIndex(%d)]", index, lastIndex());
            committed = index;
        }
    }

    void appliedTo(long index) {
        if (index == 0) {
            return;
        }
        Invariants.check(index >= applied && index <= committed,
                "applied(%d) is out of range [prevApplied(%d), committed(%d)]", index, applied, committed);
        applied = index;
    }

    void stableTo(long index, long term) {
        unstable.stableTo(index, term);
    }

    void stableSnapTo(long index) {
        unstable.stableSnapTo(index);
    }

    boolean hasPendingSnapshot() {
        return unstable.snapshot() != null;
    }

    Snapshot snapshot() {
        Snapshot s = unstable.snapshot();
        return s != null ? s : storage.snapshot();
    }

    void restore(Snapshot snap) {
        committed = snap.metadata().index();
        unstable.restore(snap);
    }

    List<Entry> unstableEntries() {
        return unstable.entries().isEmpty() ? List.of() : new ArrayList<>(unstable.entries());
    }

    /** Whether committed entries await application (none while a snapshot is pending). */
    boolean hasNextCommittedEntries() {
        if (hasPendingSnapshot()) {
            return false;
        }
        return committed > Math.max(applied, firstIndex() - 1);
    }

    /** Committed, unapplied entries, bounded by the per-Ready size limit. */
    List<Entry> nextCommittedEntries() {
        if (!hasNextCommittedEntries()) {
            return List.of();
        }
        long lo = Math.max(applied + 1, firstIndex());
        return slice(lo, committed + 1, maxCommittedSizePerReadyBytes);
    }

    /** Entries from {@code lo} to the end, at most {@code maxSizeBytes} (at least one). */
    List<Entry> entriesFrom(long lo, long maxSizeBytes) {
        long last = lastIndex();
        if (lo > last) {
            return List.of();
        }
        return slice(lo, last + 1, maxSizeBytes);
    }

    /** Entries {@code [lo, hi)} from storage then the unstable tail; throws if compacted. */
    List<Entry> slice(long lo, long hi, long maxSizeBytes) {
        Invariants.check(lo <= hi, "invalid slice %d > %d", lo, hi);
        long first = firstIndex();
        if (lo < first) {
            throw new CompactedException();
        }
        Invariants.check(hi <= lastIndex() + 1, "slice[%d,%d) out of bound [%d,%d]", lo, hi, first, lastIndex());
        if (lo == hi) {
            return List.of();
        }
        long offset = unstable.offset();
        if (lo >= offset) {
            // The hot path (a leader streaming fresh entries): a view, copied by the caller's
            // message or Ready before the unstable log changes.
            return limitSize(unstable.slice(lo, hi), maxSizeBytes);
        }
        List<Entry> out = new ArrayList<>();
        if (lo < offset) {
            List<Entry> stored = storage.entries(lo, Math.min(hi, offset), maxSizeBytes);
            // Storage returned fewer than asked: it hit the size limit, stop here.
            if (stored.size() < Math.min(hi, offset) - lo) {
                return stored;
            }
            out.addAll(stored);
        }
        if (hi > offset) {
            out.addAll(unstable.slice(Math.max(lo, offset), hi));
        }
        return limitSize(out, maxSizeBytes);
    }

    private static List<Entry> limitSize(List<Entry> entries, long maxSizeBytes) {
        long size = 0;
        for (int i = 0, n = entries.size(); i < n; i++) {
            size += entries.get(i).payloadSize();
            if (i > 0 && size > maxSizeBytes) {
                return entries.subList(0, i);
            }
        }
        return entries;
    }

    /** Loads the durable commit index on restart. */
    void loadCommit(long commit) {
        Invariants.check(commit >= committed && commit <= lastIndex(),
                "%d state.commit %d is out of range [%d, %d]", 0, commit, committed, lastIndex());
        committed = commit;
    }

    @Override
    public String toString() {
        return "committed=" + committed + " applied=" + applied + " unstable.offset=" + unstable.offset()
                + " len(unstable)=" + unstable.entries().size();
    }
}
