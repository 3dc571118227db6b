package io.etcdj.raft;

import java.util.List;

/**
 * The narrow read interface raft needs over the application's durable log. Raft never writes to
 * it: the application persists {@link Ready#entries()}, hard state and snapshots itself (the
 * Ready contract), then raft reads back what it needs to replicate.
 *
 * <p>Index space: entries {@code [firstIndex(), lastIndex()]} are readable; {@code term(firstIndex()
 * - 1)} is the term of the last compacted entry (the snapshot's) and must stay readable.
 */
public interface Storage {

    /** The durable hard state and conf state to start from. */
    InitialState initialState();

    /**
     * Entries in {@code [lo, hi)}, at most {@code maxSizeBytes} of payload in total but always at
     * least one entry if any is in range.
     *
     * @throws CompactedException if {@code lo <= firstIndex() - 1}
     * @throws UnavailableException if the range is not (yet) available
     */
    List<Entry> entries(long lo, long hi, long maxSizeBytes);

    /**
     * The term of entry {@code index}, which must be in {@code [firstIndex() - 1, lastIndex()]}.
     *
     * @throws CompactedException if {@code index < firstIndex() - 1}
     * @throws UnavailableException if {@code index > lastIndex()}
     */
    long term(long index);

    long lastIndex();

    /** Index of the first entry still available (older ones are in the snapshot). */
    long firstIndex();

    /**
     * The most recent snapshot.
     *
     * @throws SnapshotTemporarilyUnavailableException if one is being built; raft retries later
     */
    Snapshot snapshot();
}
