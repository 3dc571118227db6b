package io.etcdj.raft;

import io.etcdj.raft.Message.MsgProp;
import io.etcdj.raft.Message.MsgReadIndex;
import io.etcdj.raft.Message.MsgTransferLeader;
import io.etcdj.raft.tracker.ProgressMap;
import java.util.List;
import java.util.TreeMap;

/**
 * The application's handle on one raft node: single-threaded, no I/O, no clock. Inputs are
 * {@link #tick}, {@link #step} (peer messages), {@link #propose}, {@link #proposeConfChange},
 * {@link #campaign}, {@link #readIndex} and {@link #transferLeadership}; outputs come out as a
 * {@link Ready}, which must be handled as its contract says (persist → send → apply) before
 * {@link #advance}.
 */
public final class RawNode {

    private final RaftNode raft;
    private SoftState prevSoftState;
    private HardState prevHardState;
    /** Set between ready() and advance(): a second ready() would hand out the same work twice. */
    private boolean readyOutstanding;

    /** Starts from whatever {@code config.storage()} holds (hard state, conf state, log). */
    public RawNode(Config config) {
        this.raft = new RaftNode(config);
        this.prevSoftState = raft.softState();
        this.prevHardState = raft.hardState();
    }

    /** Advances logical time by one tick (heartbeat or election timer). */
    public void tick() {
        raft.tick();
    }

    /** Starts an election now (with a pre-vote first if enabled). */
    public void campaign() {
        raft.elections.hup(false);
    }

    /**
     * Proposes {@code data} for the log.
     *
     * @throws ProposalDroppedException if it cannot be accepted now (nothing changed)
     */
    public void propose(byte[] data) {
        raft.step(new MsgProp(raft.id, 0, 0, List.of(new Entry(0, 0, EntryType.NORMAL, data))));
    }

    /**
     * Proposes several entries at once: one append and one broadcast for the batch, which is how
     * high proposal rates are reached.
     */
    public void proposeBatch(List<byte[]> data) {
        Entry[] entries = new Entry[data.size()];
        for (int i = 0; i < entries.length; i++) {
            entries[i] = new Entry(0, 0, EntryType.NORMAL, data.get(i));
        }
        raft.step(new MsgProp(raft.id, 0, 0, List.of(entries)));
    }

    /** Proposes a membership change; apply it with {@link #applyConfChange} once committed. */
    public void proposeConfChange(ConfChangeI cc) {
        raft.step(new MsgProp(raft.id, 0, 0, List.of(new Entry(0, 0, cc.entryType(), cc.encode()))));
    }

    /**
     * Steps a message received from a peer.
     *
     * @throws IllegalArgumentException for a response from a node not in the configuration
     * @throws ProposalDroppedException for a forwarded proposal this node cannot accept
     */
    public void step(Message m) {
        if (m.isResponse() && raft.tracker.get(m.from()) == null) {
            throw new IllegalArgumentException("raft: cannot step as peer not found: " + RaftNode.hex(m.from()));
        }
        raft.step(m);
    }

    /**
     * Asks for a read index; the answer arrives as a {@link ReadState} carrying {@code
     * requestContext}, which should be unique per request.
     */
    public void readIndex(byte[] requestContext) {
        raft.step(new MsgReadIndex(raft.id, 0, 0, requestContext));
    }

    /** Asks the leader (this node or, forwarded, another) to hand leadership to {@code transferee}. */
    public void transferLeadership(long transferee) {
        raft.step(new MsgTransferLeader(transferee, 0, 0));
    }

    public boolean hasReady() {
        if (!raft.softState().equals(prevSoftState)) {
            return true;
        }
        HardState hs = raft.hardState();
        if (!hs.isEmpty() && !hs.equals(prevHardState)) {
            return true;
        }
        RaftLog log = raft.log;
        return log.hasPendingSnapshot() || !raft.msgs.isEmpty() || !log.unstable.entries().isEmpty()
                || log.hasNextCommittedEntries() || !raft.readStates.isEmpty();
    }

    /** Collects the outstanding work; see {@link Ready} for what to do with it. */
    public Ready ready() {
        Invariants.check(!readyOutstanding, "ready() called again before advance()");
        RaftLog log = raft.log;
        SoftState soft = raft.softState();
        HardState hard = raft.hardState();
        List<Entry> entries = log.unstableEntries();
        Snapshot snapshot = log.hasPendingSnapshot() ? log.unstable.snapshot() : Snapshot.EMPTY;
        boolean mustSync = !entries.isEmpty() || hard.vote() != prevHardState.vote()
                || hard.term() != prevHardState.term();
        Ready rd = new Ready(
                soft.equals(prevSoftState) ? null : soft,
                hard.equals(prevHardState) ? HardState.EMPTY : hard,
                raft.readStates,
                entries,
                snapshot,
                log.nextCommittedEntries(),
                raft.msgs,
                mustSync);
        prevSoftState = soft;
        prevHardState = hard;
        raft.readStates.clear();
        raft.msgs.clear();
        readyOutstanding = true;
        return rd;
    }

    /** Confirms {@code rd} was persisted, sent and applied (the Ready contract). */
    public void advance(Ready rd) {
        readyOutstanding = false;
        raft.advance(rd);
    }

    /** Applies a committed conf change to the configuration; returns the membership now in force. */
    public ConfState applyConfChange(ConfChangeI cc) {
        return raft.membership.applyConfChange(cc.asV2());
    }

    public Status status() {
        TreeMap<Long, ProgressStatus> progress = new TreeMap<>();
        if (raft.state == StateType.LEADER) {
            ProgressMap prs = raft.tracker.progress();
            for (int i = 0; i < prs.size(); i++) {
                var pr = prs.progressAt(i);
                progress.put(prs.idAt(i), new ProgressStatus(pr.match(), pr.next(), pr.state(),
                        pr.isLearner(), pr.recentActive()));
            }
        }
        return new Status(raft.id, raft.hardState(), raft.softState(), raft.log.applied(), progress,
                raft.leadTransferee, raft.tracker.confState());
    }

    /** Tells the leader that the last message to {@code id} could not be delivered. */
    public void reportUnreachable(long id) {
        if (raft.state == StateType.LEADER) {
            raft.leaderRole.reportUnreachable(id);
        }
    }

    /** Tells the leader whether the snapshot sent to {@code id} was installed. */
    public void reportSnapshot(long id, boolean success) {
        if (raft.state == StateType.LEADER) {
            raft.leaderRole.reportSnapshot(id, success);
        }
    }

    /** Package-private access for tests in this package (negative controls, invariants). */
    RaftNode raft() {
        return raft;
    }
}
