package io.etcdj.raft.tracker;

import io.etcdj.raft.Invariants;

/**
 * The leader's view of one peer. Invariant: {@code match < next}. In PROBE at most one append is
 * outstanding ({@code msgAppFlowPaused} set after sending one); in REPLICATE appends stream while
 * the inflight window has room; in SNAPSHOT nothing is sent until the snapshot is reported.
 */
public final class Progress {

    long match;
    long next;
    ProgressState state = ProgressState.PROBE;
    /** In SNAPSHOT: the index of the snapshot being sent. */
    long pendingSnapshot;
    /** Heard from since the last CheckQuorum round (§6.2 of the thesis). */
    boolean recentActive;
    /** In PROBE: a probe was sent and is unanswered. */
    boolean msgAppFlowPaused;
    boolean learner;
    final Inflights inflights;

    public Progress(long match, long next, Inflights inflights, boolean learner) {
        this.match = match;
        this.next = next;
        this.inflights = inflights;
        this.learner = learner;
    }

    public long match() {
        return match;
    }

    public long next() {
        return next;
    }

    public ProgressState state() {
        return state;
    }

    public long pendingSnapshot() {
        return pendingSnapshot;
    }

    public boolean recentActive() {
        return recentActive;
    }

    public void setRecentActive(boolean active) {
        recentActive = active;
    }

    public boolean isLearner() {
        return learner;
    }

    public void setLearner(boolean learner) {
        this.learner = learner;
    }

    public Inflights inflights() {
        return inflights;
    }

    public boolean msgAppFlowPaused() {
        return msgAppFlowPaused;
    }

    public void pauseMsgAppFlow() {
        msgAppFlowPaused = true;
    }

    public void resumeMsgAppFlow() {
        msgAppFlowPaused = false;
    }

    /** Resets to a fresh progress after an election (match only known for the leader itself). */
    public void reset(long newMatch, long newNext) {
        resetState(ProgressState.PROBE);
        match = newMatch;
        next = newNext;
        recentActive = false;
    }

    private void resetState(ProgressState newState) {
        msgAppFlowPaused = false;
        pendingSnapshot = 0;
        state = newState;
        inflights.reset();
    }

    public void becomeProbe() {
        if (state == ProgressState.SNAPSHOT) {
            // The snapshot reached the peer (or failed); probe right after whichever is later.
            long snapshotIndex = pendingSnapshot;
            resetState(ProgressState.PROBE);
            next = Math.max(match + 1, snapshotIndex + 1);
        } else {
            resetState(ProgressState.PROBE);
            next = match + 1;
        }
    }

    public void becomeReplicate() {
        resetState(ProgressState.REPLICATE);
        next = match + 1;
    }

    public void becomeSnapshot(long snapshotIndex) {
        resetState(ProgressState.SNAPSHOT);
        pendingSnapshot = snapshotIndex;
    }

    /** Records an acknowledgement up to {@code index}; returns whether match advanced. */
    public boolean maybeUpdate(long index) {
        boolean updated = false;
        if (match < index) {
            match = index;
            updated = true;
            msgAppFlowPaused = false;
        }
        next = Math.max(next, index + 1);
        return updated;
    }

    /** Accounts an append of entries up to {@code lastIndex} just sent. */
    public void sentEntries(long lastIndex, long sizeBytes) {
        switch (state) {
            case REPLICATE -> {
                next = lastIndex + 1;
                inflights.add(lastIndex, sizeBytes);
            }
            case PROBE -> msgAppFlowPaused = true;
            default -> throw new IllegalStateException("sending append in state " + state);
        }
    }

    /**
     * Handles a rejected append at {@code rejected} with the follower's hint {@code matchHint};
     * returns false if the rejection is stale (already superseded) and should be ignored.
     */
    public boolean maybeDecrTo(long rejected, long matchHint) {
        if (state == ProgressState.REPLICATE) {
            // A rejection at or below match is from an append we already know succeeded later.
            if (rejected <= match) {
                return false;
            }
            next = match + 1;
            return true;
        }
        // Probes go out one at a time, so a fresh rejection is always for next - 1; and one at
        // or below match predates the acknowledgement that set match (responses reorder).
        if (next - 1 != rejected || rejected <= match) {
            return false;
        }
        // The hint may predate match too: never probe below what the follower is known to hold.
        next = Math.max(Math.min(rejected, matchHint + 1), match + 1);
        Invariants.check(next > match, "next %d must stay above match %d", next, match);
        msgAppFlowPaused = false;
        return true;
    }

    /** Whether the leader should hold back appends to this peer. */
    public boolean isPaused() {
        return switch (state) {
            case PROBE -> msgAppFlowPaused;
            case REPLICATE -> inflights.full();
            case SNAPSHOT -> true;
        };
    }

    /** A deep copy, so a configuration change can be computed without touching the original. */
    public Progress copy() {
        // The inflight window is shared: the copy replaces the original, which is discarded.
        Progress p = new Progress(match, next, inflights, learner);
        p.state = state;
        p.pendingSnapshot = pendingSnapshot;
        p.recentActive = recentActive;
        p.msgAppFlowPaused = msgAppFlowPaused;
        return p;
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder();
        sb.append(state).append(" match=").append(match).append(" next=").append(next);
        if (learner) {
            sb.append(" learner");
        }
        if (state == ProgressState.SNAPSHOT) {
            sb.append(" pendingSnap=").append(pendingSnapshot);
        }
        if (msgAppFlowPaused) {
            sb.append(" paused");
        }
        if (inflights.count() > 0) {
            sb.append(" inflight=").append(inflights.count());
            if (inflights.full()) {
                sb.append("[full]");
            }
        }
        return sb.toString();
    }
}
