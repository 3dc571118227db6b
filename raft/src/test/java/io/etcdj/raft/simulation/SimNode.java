package io.etcdj.raft.simulation;

import io.etcdj.raft.ConfChangeI;
import io.etcdj.raft.ConfState;
import io.etcdj.raft.Entry;
import io.etcdj.raft.EntryType;
import io.etcdj.raft.HardState;
import io.etcdj.raft.MemoryStorage;
import io.etcdj.raft.Message;
import io.etcdj.raft.RawNode;
import io.etcdj.raft.Ready;
import io.etcdj.raft.Snapshot;
import io.etcdj.raft.StateType;
import java.nio.ByteBuffer;
import java.util.List;

/**
 * One simulated member: a {@link RawNode} over a {@link MemoryStorage} that plays the disk. A
 * crash throws the RawNode and the state machine away and keeps only the storage, so whatever a
 * Ready had not persisted when the crash hit is lost, as on a real power cut after fsync.
 * The state machine is a hash chain over the applied entries; a snapshot carries its value.
 */
final class SimNode {

    /** What the node needs from the simulation around it. */
    interface Env {
        SafetyChecker checker();

        PlantedBug bug();

        /** Whether this Ready crashes the node, and where; null for no crash. */
        Crash drawCrash();

        void send(long from, Message message);

        void applied(long node, Entry entry, ConfState confStateAfter);

        RawNode newRawNode(long id, MemoryStorage storage, long applied);

        void trace(String event);

        Coverage coverage();

        /** Whether messages are checked against the disk before they leave ({@link DurabilityCheck}). */
        boolean checkDurability();
    }

    private final long id;
    private final MemoryStorage storage;
    private final int compactAfterEntries;
    private RawNode raft;
    private long appliedIndex;
    private long appliedChain;
    private ConfState confState = ConfState.EMPTY;
    private StateType role = StateType.FOLLOWER;
    private long term;
    private boolean removed;
    private long readies;
    private boolean snapshotDue;
    private Env env;

    SimNode(long id, MemoryStorage storage, int compactAfterEntries) {
        this.id = id;
        this.storage = storage;
        this.compactAfterEntries = compactAfterEntries;
    }

    /** The storage a member bootstrapped with {@code voters} starts from: a snapshot at 1/1. */
    static MemoryStorage bootstrapStorage(List<Long> voters) {
        MemoryStorage storage = new MemoryStorage();
        ConfState cs = new ConfState(voters, List.of(), List.of(), List.of(), false);
        storage.applySnapshot(new Snapshot(encodeState(1, 0),
                new io.etcdj.raft.SnapshotMetadata(cs, 1, 1)));
        return storage;
    }

    /** Boots (or reboots) from what the storage holds. */
    void start(Env env) {
        if (this.env != null) {
            env.coverage().restarts++;
        }
        this.env = env;
        Snapshot snapshot = storage.snapshot();
        ByteBuffer state = ByteBuffer.wrap(snapshot.data());
        appliedIndex = snapshot.isEmpty() ? 0 : state.getLong();
        appliedChain = snapshot.isEmpty() ? 0 : state.getLong();
        confState = snapshot.metadata().confState();
        HardState hs = storage.initialState().hardState();
        term = hs.term();
        role = StateType.FOLLOWER;
        long first = storage.firstIndex();
        long last = storage.lastIndex();
        List<Entry> entries = last >= first ? storage.entries(first, last + 1, Long.MAX_VALUE) : List.of();
        long[][] persisted = new long[entries.size()][];
        for (int i = 0; i < persisted.length; i++) {
            persisted[i] = new long[] {entries.get(i).term(), digest(entries.get(i))};
        }
        env.trace(id + " starts: snapshot " + (first - 1) + ", last " + last + ", " + hs);
        env.checker().onStart(id, first - 1, storage.term(first - 1), persisted, hs.term(), hs.commit(), appliedIndex);
        raft = env.newRawNode(id, storage, snapshot.metadata().index());
    }

    void crash() {
        if (raft != null && env != null) {
            env.trace(id + " crashes");
            env.coverage().crashes++;
        }
        raft = null;
        role = StateType.FOLLOWER;
    }

    /** Handles one Ready; false if the node crashed while doing so. */
    boolean processReady(Env env) {
        Ready rd = raft.ready();
        readies++;
        Crash crash = env.drawCrash();
        env.trace(id + " ready: soft " + rd.softState() + ", " + rd.hardState() + ", snap "
                + rd.snapshot().metadata().index() + ", entries " + range(rd.entries()) + ", committed "
                + range(rd.committedEntries()) + ", " + rd.messages().size() + " msgs" + (crash == null ? "" : ", crash " + crash));
        if (crash != null) {
            env.coverage().readyCrashes++;
        }
        boolean sendFirst = env.bug() == PlantedBug.ACK_BEFORE_PERSIST;
        if (sendFirst) {
            send(rd, env);
        }
        if (crash == Crash.BEFORE_PERSIST) {
            crash();
            return false;
        }
        persist(rd, env);
        observeRole(rd, env);
        if (crash == Crash.BEFORE_SEND) {
            crash();
            return false;
        }
        if (!sendFirst) {
            send(rd, env);
        }
        if (crash == Crash.BEFORE_APPLY) {
            crash();
            return false;
        }
        apply(rd, env);
        if (crash == Crash.BEFORE_ADVANCE || raft == null) {
            crash();
            return false;
        }
        raft.advance(rd);
        maybeCompact();
        return true;
    }

    private void persist(Ready rd, Env env) {
        SafetyChecker checker = env.checker();
        if (!rd.snapshot().isEmpty()) {
            storage.applySnapshot(rd.snapshot());
            checker.onSnapshot(id, rd.snapshot().metadata().index(), rd.snapshot().metadata().term());
        }
        if (!rd.entries().isEmpty()) {
            storage.append(rd.entries());
            long[] terms = new long[rd.entries().size()];
            long[] digests = new long[terms.length];
            for (int i = 0; i < terms.length; i++) {
                terms[i] = rd.entries().get(i).term();
                digests[i] = digest(rd.entries().get(i));
            }
            checker.onEntries(id, rd.entries().get(0).index(), terms, digests);
        }
        HardState hs = rd.hardState();
        if (!hs.isEmpty()) {
            storage.setHardState(env.bug() == PlantedBug.FORGET_VOTE ? new HardState(hs.term(), 0, hs.commit()) : hs);
            checker.onHardState(id, hs.term(), hs.commit());
        }
    }

    private void observeRole(Ready rd, Env env) {
        boolean termChanged = !rd.hardState().isEmpty() && rd.hardState().term() != term;
        if (termChanged) {
            term = rd.hardState().term();
        }
        if (rd.softState() != null) {
            role = rd.softState().raftState();
        }
        // A leader that lost and regained leadership between two Readies shows no soft-state
        // change, only a new term.
        if (role == StateType.LEADER && (rd.softState() != null || termChanged)) {
            env.checker().onLeader(id, term);
        }
    }

    private void send(Ready rd, Env env) {
        for (Message m : rd.messages()) {
            if (env.checkDurability()) {
                DurabilityCheck.beforeSend(id, m, storage);
            }
            env.send(id, m);
        }
    }

    private void apply(Ready rd, Env env) {
        if (!rd.snapshot().isEmpty()) {
            ByteBuffer state = ByteBuffer.wrap(rd.snapshot().data());
            appliedIndex = state.getLong();
            appliedChain = state.getLong();
            confState = rd.snapshot().metadata().confState();
        }
        for (Entry e : rd.committedEntries()) {
            if (raft == null) {
                return;
            }
            long digest = digest(e);
            env.checker().onApply(id, e.index(), e.term(), digest);
            appliedChain = LogModel.chain(appliedChain, e.index(), e.term(), digest);
            appliedIndex = e.index();
            // Every conf change entry is applied, empty ones too: an empty ConfChangeV2 (leave
            // the joint configuration) encodes to zero bytes.
            if (e.type() != EntryType.NORMAL) {
                confState = raft.applyConfChange(ConfChangeI.fromEntry(e));
                snapshotDue = true;
            }
            env.applied(id, e, confState);
        }
    }

    /**
     * Snapshots when the policy says so, and after every applied membership change even if the
     * policy never compacts: a member added later is caught up by snapshot (the bootstrap
     * snapshot is all before index 2), and a snapshot whose ConfState lacks the new member is
     * one raft must refuse to restore.
     */
    private void maybeCompact() {
        boolean compact = compactAfterEntries > 0 && appliedIndex - storage.firstIndex() + 1 > compactAfterEntries;
        if ((compact || snapshotDue) && appliedIndex > storage.snapshot().metadata().index()) {
            storage.createSnapshot(appliedIndex, confState, encodeState(appliedIndex, appliedChain));
            snapshotDue = false;
        }
        if (compact) {
            storage.compact(appliedIndex);
        }
    }

    private static String range(List<Entry> entries) {
        return entries.isEmpty() ? "-" : entries.get(0).index() + ".." + entries.get(entries.size() - 1).index();
    }

    static long digest(Entry e) {
        long h = 0xCBF29CE484222325L ^ e.type().ordinal();
        for (byte b : e.data()) {
            h = (h ^ (b & 0xff)) * 0x100000001B3L;
        }
        return LogModel.mix(h);
    }

    private static byte[] encodeState(long index, long chain) {
        return ByteBuffer.allocate(16).putLong(index).putLong(chain).array();
    }

    long id() {
        return id;
    }

    RawNode raft() {
        return raft;
    }

    boolean isUp() {
        return raft != null;
    }

    boolean isRemoved() {
        return removed;
    }

    void markRemoved() {
        removed = true;
        crash();
    }

    StateType role() {
        return role;
    }

    long term() {
        return term;
    }

    long appliedIndex() {
        return appliedIndex;
    }

    long appliedChain() {
        return appliedChain;
    }

    ConfState confState() {
        return confState;
    }

    long readies() {
        return readies;
    }

    MemoryStorage storage() {
        return storage;
    }
}
