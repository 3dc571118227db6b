package io.etcdj.raft;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.function.Consumer;
import java.util.function.Predicate;

/**
 * An in-memory cluster for tests: peers with {@link MemoryStorage}, a FIFO of messages in
 * flight, and filters (cut links, isolate nodes, drop by predicate). Ready handling follows the
 * contract exactly. Every processed Ready is checked against State Machine Safety: no two peers
 * apply different entries at the same index.
 */
final class Network {

    /** One member: its storage, node, and what it applied. */
    static final class Peer {
        final long id;
        final MemoryStorage storage;
        RawNode node;
        final TreeMap<Long, Entry> applied = new TreeMap<>();
        /** The peer's term when it applied each index: at least the term the entry committed in. */
        final TreeMap<Long, Long> appliedAtTerm = new TreeMap<>();
        final List<ReadState> readStates = new ArrayList<>();
        ConfState confState;

        Peer(long id, MemoryStorage storage) {
            this.id = id;
            this.storage = storage;
        }

        RaftNode raft() {
            return node.raft();
        }

        StateType state() {
            return raft().state;
        }

        long term() {
            return raft().term;
        }
    }

    final TreeMap<Long, Peer> peers = new TreeMap<>();
    final List<Message> inflight = new ArrayList<>();
    private final Set<Long> cut = new HashSet<>();
    private final Set<Long> isolated = new HashSet<>();
    private final List<Predicate<Message>> dropRules = new ArrayList<>();
    private final Consumer<Config.Builder> tweak;
    /** Snapshot and compact a peer's log once it applied this many entries past its snapshot; 0: never. */
    int compactionLagEntries;
    /** Every message ever delivered or dropped, for assertions on traffic. */
    final List<Message> sent = new ArrayList<>();

    Network(Consumer<Config.Builder> tweak, long... voters) {
        this.tweak = tweak;
        for (long id : voters) {
            addPeer(id, bootstrapStorage(voters, new long[0]));
        }
    }

    Network(long... voters) {
        this(b -> { }, voters);
    }

    /** A storage holding a snapshot at index 1, term 1 with the given membership. */
    static MemoryStorage bootstrapStorage(long[] voters, long[] learners) {
        MemoryStorage s = new MemoryStorage();
        List<Long> v = new ArrayList<>();
        for (long id : voters) {
            v.add(id);
        }
        List<Long> l = new ArrayList<>();
        for (long id : learners) {
            l.add(id);
        }
        ConfState cs = new ConfState(v, l, List.of(), List.of(), false);
        s.applySnapshot(new Snapshot(new byte[0], new SnapshotMetadata(cs, 1, 1)));
        s.setHardState(new HardState(1, 0, 1));
        return s;
    }

    Peer addPeer(long id, MemoryStorage storage) {
        Peer p = new Peer(id, storage);
        p.node = new RawNode(configFor(id, storage));
        p.confState = storage.initialState().confState();
        peers.put(id, p);
        return p;
    }

    private Config configFor(long id, MemoryStorage storage) {
        return configFor(id, storage, 0);
    }

    private Config configFor(long id, MemoryStorage storage, long applied) {
        Config.Builder b = Config.builder(id, storage).random(new SplittableRandom(id * 7919)).applied(applied);
        tweak.accept(b);
        if (Boolean.getBoolean("raft.debuglog")) {
            b.logger(new RaftLogger() {
                @Override
                public boolean enabled(LogLevel level) {
                    return true;
                }

                @Override
                public void log(LogLevel level, String message) {
                    System.out.println(level + " " + message);
                }
            });
        }
        return b.build();
    }

    /** Simulates a crash and restart: a new node from what the peer's storage holds. */
    void restart(long id) {
        Peer p = peers.get(id);
        p.node = new RawNode(configFor(id, p.storage, p.storage.snapshot().metadata().index()));
        p.confState = p.storage.initialState().confState();
        // Messages to or from the crashed node are gone (a snapshot in flight is reported lost).
        List<Message> gone = new ArrayList<>();
        for (Message m : inflight) {
            if (m.to() == id || m.from() == id) {
                gone.add(m);
            }
        }
        inflight.removeAll(gone);
        for (Message m : gone) {
            if (m.from() != id) {
                lose(m);
            }
        }
    }

    Peer peer(long id) {
        return peers.get(id);
    }

    RawNode node(long id) {
        return peers.get(id).node;
    }

    // ---- filters ----------------------------------------------------------------------------

    private static long link(long a, long b) {
        return a * 1_000_003L + b;
    }

    void cut(long a, long b) {
        cut.add(link(a, b));
        cut.add(link(b, a));
    }

    void isolate(long id) {
        isolated.add(id);
    }

    void drop(Predicate<Message> rule) {
        dropRules.add(rule);
    }

    void heal() {
        cut.clear();
        isolated.clear();
        dropRules.clear();
    }

    private boolean dropped(Message m) {
        if (isolated.contains(m.from()) || isolated.contains(m.to()) || cut.contains(link(m.from(), m.to()))) {
            return true;
        }
        for (Predicate<Message> rule : dropRules) {
            if (rule.test(m)) {
                return true;
            }
        }
        return false;
    }

    // ---- driving ----------------------------------------------------------------------------

    /** Handles one Ready of peer {@code id} per the contract; returns whether there was one. */
    boolean processReady(long id) {
        Peer p = peers.get(id);
        if (!p.node.hasReady()) {
            return false;
        }
        Ready rd = p.node.ready();
        // 1. persist
        if (!rd.snapshot().isEmpty()) {
            p.storage.applySnapshot(rd.snapshot());
            p.confState = rd.snapshot().metadata().confState();
            // The snapshot stands for every entry up to its index, which by State Machine Safety
            // are the entries others applied there.
            TreeMap<Long, Entry> reference = appliedReference();
            for (Entry e : reference.headMap(rd.snapshot().metadata().index(), true).values()) {
                p.applied.putIfAbsent(e.index(), e);
                p.appliedAtTerm.putIfAbsent(e.index(), p.term());
            }
        }
        p.storage.append(rd.entries());
        if (!rd.hardState().isEmpty()) {
            p.storage.setHardState(rd.hardState());
        }
        // 2. send
        for (Message m : rd.messages()) {
            sent.add(m);
            if (dropped(m)) {
                lose(m);
            } else {
                inflight.add(m);
            }
        }
        // 3. apply
        for (Entry e : rd.committedEntries()) {
            if (e.type() != EntryType.NORMAL) {
                p.confState = p.node.applyConfChange(ConfChangeI.fromEntry(e));
            }
            p.applied.put(e.index(), e);
            p.appliedAtTerm.put(e.index(), p.term());
        }
        p.readStates.addAll(rd.readStates());
        checkStateMachineSafety();
        maybeCompact(p, rd);
        // 4. advance
        p.node.advance(rd);
        return true;
    }

    /** Delivers the oldest message in flight; returns false if there is none. */
    boolean deliverOne() {
        if (inflight.isEmpty()) {
            return false;
        }
        deliver(inflight.removeFirst());
        return true;
    }

    /** Delivers one message now (it must have been taken out of {@link #inflight}). */
    void deliver(Message m) {
        Peer to = peers.get(m.to());
        if (to == null || dropped(m)) {
            lose(m);
            return;
        }
        if (Boolean.getBoolean("raft.debuglog")) {
            System.out.println("DELIVER " + m);
        }
        try {
            to.node.step(m);
        } catch (ProposalDroppedException | IllegalArgumentException e) {
            // A forwarded proposal refused by the leader, or a response from a removed peer.
        }
        if (m instanceof Message.MsgSnap) {
            // As etcd's transport does: report a delivered snapshot, so a lost answer cannot
            // leave the leader waiting in SNAPSHOT state forever.
            peers.get(m.from()).node.reportSnapshot(m.to(), true);
        }
    }

    /** A message the network lost: the sender's transport reports a snapshot as failed. */
    void lose(Message m) {
        Peer from = peers.get(m.from());
        if (m instanceof Message.MsgSnap && from != null) {
            from.node.reportSnapshot(m.to(), false);
        }
    }

    /** Runs Ready handling and delivery until nothing changes. */
    void stabilize() {
        for (int round = 0; round < 100_000; round++) {
            boolean progress = false;
            for (long id : peers.keySet()) {
                progress |= processReady(id);
            }
            while (deliverOne()) {
                progress = true;
            }
            if (!progress) {
                return;
            }
        }
        throw new AssertionError("network did not stabilize");
    }

    void tick(long id, int times) {
        for (int i = 0; i < times; i++) {
            peers.get(id).node.tick();
        }
    }

    /** Ticks every peer {@code times} times, stabilizing after each round. */
    void tickAll(int times) {
        for (int i = 0; i < times; i++) {
            for (Peer p : peers.values()) {
                p.node.tick();
            }
            stabilize();
        }
    }

    /** Campaigns on {@code id} and stabilizes. */
    void elect(long id) {
        node(id).campaign();
        stabilize();
    }

    long leader() {
        for (Peer p : peers.values()) {
            if (p.state() == StateType.LEADER) {
                return p.id;
            }
        }
        return 0;
    }

    private void maybeCompact(Peer p, Ready rd) {
        if (compactionLagEntries == 0 || rd.committedEntries().isEmpty()) {
            return;
        }
        long applied = rd.committedEntries().getLast().index();
        boolean confChanged = false;
        for (Entry e : rd.committedEntries()) {
            confChanged |= e.type() != EntryType.NORMAL;
        }
        // Snapshot right after a membership change too: a node added later ignores a snapshot
        // whose ConfState does not contain it, so the latest snapshot must include it.
        if (confChanged || applied - p.storage.snapshot().metadata().index() >= compactionLagEntries) {
            p.storage.createSnapshot(applied, p.confState, new byte[0]);
            p.storage.compact(applied);
        }
    }

    /** The first entry anyone applied at each index. */
    private TreeMap<Long, Entry> appliedReference() {
        TreeMap<Long, Entry> reference = new TreeMap<>();
        for (Peer peer : peers.values()) {
            for (Entry e : peer.applied.values()) {
                reference.putIfAbsent(e.index(), e);
            }
        }
        return reference;
    }

    /** State Machine Safety (§5.4.3): peers never apply different entries at one index. */
    void checkStateMachineSafety() {
        TreeMap<Long, Entry> reference = new TreeMap<>();
        for (Peer p : peers.values()) {
            for (Entry e : p.applied.values()) {
                Entry other = reference.putIfAbsent(e.index(), e);
                if (other != null && !other.equals(e)) {
                    throw new AssertionError("state machine safety violated at index " + e.index()
                            + ": " + other + " vs " + e + " (peer " + p.id + ")");
                }
            }
        }
    }
}
