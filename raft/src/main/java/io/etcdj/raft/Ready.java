package io.etcdj.raft;

import java.util.List;

/**
 * Everything a node asks the application to do, collected by {@link RawNode#ready()}.
 *
 * <p><b>The Ready contract</b> (in this order):
 * <ol>
 *   <li><b>persist</b> {@link #hardState} (unless {@link HardState#EMPTY}), {@link #entries}
 *       (appending; they may replace a suffix of the stored log) and {@link #snapshot} (unless
 *       {@link Snapshot#EMPTY}) — durably (fsync) if {@link #mustSync};</li>
 *   <li><b>send</b> {@link #messages}: they may promise what was just persisted (a vote, an
 *       acknowledged append), so never before step 1;</li>
 *   <li><b>apply</b> {@link #committedEntries} in order, passing conf change entries to
 *       {@link RawNode#applyConfChange}; serve reads of {@link #readStates} once applied
 *       reaches their index;</li>
 *   <li><b>advance</b>: call {@link RawNode#advance(Ready)} with this Ready before asking for the
 *       next one. Only then does raft count the leader's own entries as stored and the committed
 *       entries as applied.</li>
 * </ol>
 *
 * @param softState leader and role, or null if unchanged since the last Ready
 * @param hardState term, vote and commit to persist, or {@link HardState#EMPTY} if unchanged
 * @param readStates reads confirmed since the last Ready
 * @param entries entries to append to stable storage
 * @param snapshot a snapshot to persist and restore the state machine from, or EMPTY
 * @param committedEntries entries to apply (may include some from {@code entries}: persist first)
 * @param messages messages to send after persisting
 * @param mustSync whether the write must be synced (new entries, or term/vote changed)
 */
public record Ready(
        SoftState softState,
        HardState hardState,
        List<ReadState> readStates,
        List<Entry> entries,
        Snapshot snapshot,
        List<Entry> committedEntries,
        List<Message> messages,
        boolean mustSync) {

    public Ready {
        hardState = hardState == null ? HardState.EMPTY : hardState;
        snapshot = snapshot == null ? Snapshot.EMPTY : snapshot;
        readStates = List.copyOf(readStates);
        entries = List.copyOf(entries);
        committedEntries = List.copyOf(committedEntries);
        messages = List.copyOf(messages);
    }

    /** Whether there is anything at all to do. */
    public boolean containsUpdates() {
        return softState != null || !hardState.isEmpty() || !snapshot.isEmpty() || !entries.isEmpty()
                || !committedEntries.isEmpty() || !messages.isEmpty() || !readStates.isEmpty();
    }
}
