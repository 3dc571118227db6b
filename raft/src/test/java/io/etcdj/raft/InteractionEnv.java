package io.etcdj.raft;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.random.RandomGenerator;

/**
 * The state behind the interaction scripts: nodes, their storage and mailboxes, and the text
 * output of each command (raft's log lines interleaved with what the harness does).
 */
final class InteractionEnv {

    /** A node as the harness sees it. */
    static final class Node {
        final long id;
        final MemoryStorage storage;
        final RawNode raw;
        final List<Message> mailbox = new ArrayList<>();
        final List<Entry> applied = new ArrayList<>();

        Node(long id, MemoryStorage storage, RawNode raw) {
            this.id = id;
            this.storage = storage;
            this.raw = raw;
        }
    }

    /** A generator that always draws 0, so the election timeout is exactly electionTick. */
    static final RandomGenerator ZERO = () -> 0L;

    final TreeMap<Long, Node> nodes = new TreeMap<>();
    final StringBuilder out = new StringBuilder();
    LogLevel level = LogLevel.INFO;
    boolean logsOff;
    final Set<Long> isolated = new HashSet<>();
    /** Cut links, as "from->to" in both directions. */
    final Set<String> cutLinks = new HashSet<>();

    void cut(long a, long b) {
        cutLinks.add(a + "->" + b);
        cutLinks.add(b + "->" + a);
    }

    void heal() {
        isolated.clear();
        cutLinks.clear();
    }

    final RaftLogger logger = new RaftLogger() {
        @Override
        public boolean enabled(LogLevel l) {
            return !logsOff && l.ordinal() >= level.ordinal();
        }

        @Override
        public void log(LogLevel l, String message) {
            out.append(l).append(' ').append(message).append('\n');
        }
    };

    void line(String s) {
        out.append(s).append('\n');
    }

    /** Harness narration (Ready handling, deliveries): silent under {@code log-level none}. */
    void narrate(String s) {
        if (!logsOff) {
            line(s);
        }
    }

    Node node(long id) {
        Node n = nodes.get(id);
        if (n == null) {
            throw new IllegalArgumentException("no node " + id);
        }
        return n;
    }

    /** Adds nodes; with voters they bootstrap from a snapshot at {@code index} (term 1). */
    void addNodes(int count, List<Long> voters, List<Long> learners, long index, Map<String, String> opts) {
        long next = nodes.isEmpty() ? 1 : nodes.lastKey() + 1;
        for (int i = 0; i < count; i++) {
            long id = next + i;
            MemoryStorage storage = new MemoryStorage();
            if (!voters.isEmpty()) {
                ConfState cs = new ConfState(voters, learners, List.of(), List.of(), false);
                storage.applySnapshot(new Snapshot(new byte[0], new SnapshotMetadata(cs, index, 1)));
                storage.setHardState(new HardState(1, 0, index));
            }
            Config.Builder b = Config.builder(id, storage).random(ZERO).logger(logger)
                    .electionTick(10).heartbeatTick(1);
            applyOptions(b, opts);
            nodes.put(id, new Node(id, storage, new RawNode(b.build())));
        }
    }

    private static void applyOptions(Config.Builder b, Map<String, String> opts) {
        for (Map.Entry<String, String> o : opts.entrySet()) {
            String v = o.getValue();
            switch (o.getKey()) {
                case "prevote" -> b.preVote(Boolean.parseBoolean(v));
                case "checkquorum" -> b.checkQuorum(Boolean.parseBoolean(v));
                case "read-only" -> b.readOnlyOption(v.equals("lease") ? ReadOnlyOption.LEASE_BASED : ReadOnlyOption.SAFE);
                case "disable-forwarding" -> b.disableProposalForwarding(Boolean.parseBoolean(v));
                case "max-size-per-msg" -> b.maxSizePerMsgBytes(Long.parseLong(v));
                case "max-inflight" -> b.maxInflightMsgs(Integer.parseInt(v));
                case "max-uncommitted" -> b.maxUncommittedEntriesSizeBytes(Long.parseLong(v));
                default -> throw new IllegalArgumentException("unknown option " + o.getKey());
            }
        }
    }

    /** Handles one Ready per the contract and prints it; false if there was none. */
    boolean processReady(long id) {
        Node n = node(id);
        if (!n.raw.hasReady()) {
            return false;
        }
        narrate("> " + Describe.id(id) + " handling Ready");
        Ready rd = n.raw.ready();
        printReady(rd);
        if (!rd.snapshot().isEmpty()) {
            n.storage.applySnapshot(rd.snapshot());
        }
        n.storage.append(rd.entries());
        if (!rd.hardState().isEmpty()) {
            n.storage.setHardState(rd.hardState());
        }
        for (Message m : rd.messages()) {
            Node to = nodes.get(m.to());
            if (to != null) {
                to.mailbox.add(m);
            }
        }
        for (Entry e : rd.committedEntries()) {
            n.applied.add(e);
            if (e.type() != EntryType.NORMAL) {
                ConfState cs = n.raw.applyConfChange(ConfChangeI.fromEntry(e));
                narrate("  applied conf change: " + Describe.confState(cs));
            }
        }
        n.raw.advance(rd);
        return true;
    }

    private void printReady(Ready rd) {
        if (rd.softState() != null) {
            narrate("  soft: lead=" + Describe.id(rd.softState().leader()) + " " + rd.softState().raftState());
        }
        if (!rd.hardState().isEmpty()) {
            HardState hs = rd.hardState();
            narrate("  hard: term=" + hs.term() + " vote=" + Describe.id(hs.vote()) + " commit=" + hs.commit());
        }
        if (!rd.snapshot().isEmpty()) {
            SnapshotMetadata md = rd.snapshot().metadata();
            narrate("  snapshot: " + md.term() + "/" + md.index() + " " + Describe.confState(md.confState()));
        }
        if (!rd.entries().isEmpty()) {
            narrate("  entries: " + Describe.entries(rd.entries()));
        }
        if (!rd.committedEntries().isEmpty()) {
            narrate("  committed: " + Describe.entries(rd.committedEntries()));
        }
        for (ReadState rs : rd.readStates()) {
            narrate("  read-state: index=" + rs.index() + " ctx=" + Describe.data(rs.requestContext()));
        }
        for (Message m : rd.messages()) {
            narrate("  send: " + Describe.message(m));
        }
    }

    /** Delivers (or drops) everything queued for {@code id}; false if nothing was queued. */
    boolean deliver(long id, boolean drop) {
        Node n = node(id);
        if (n.mailbox.isEmpty()) {
            return false;
        }
        List<Message> msgs = new ArrayList<>(n.mailbox);
        n.mailbox.clear();
        narrate("> " + Describe.id(id) + " receiving messages");
        for (Message m : msgs) {
            boolean cut = drop || isolated.contains(m.from()) || isolated.contains(m.to())
                    || cutLinks.contains(m.from() + "->" + m.to());
            narrate("  " + Describe.message(m) + (cut ? " DROPPED" : ""));
            if (cut) {
                continue;
            }
            try {
                n.raw.step(m);
            } catch (ProposalDroppedException | IllegalArgumentException e) {
                narrate("  error: " + e.getMessage());
            }
        }
        return true;
    }

    void stabilize(List<Long> ids) {
        List<Long> which = ids.isEmpty() ? new ArrayList<>(nodes.keySet()) : ids;
        for (int round = 0; round < 1000; round++) {
            boolean progress = false;
            for (long id : which) {
                progress |= processReady(id);
            }
            for (long id : which) {
                progress |= deliver(id, false);
            }
            if (!progress) {
                return;
            }
        }
        throw new IllegalStateException("did not stabilize in 1000 rounds");
    }

    void status(long id) {
        Status st = node(id).raw.status();
        line(Describe.id(id) + ": " + st.softState().raftState() + " term=" + st.hardState().term()
                + " lead=" + Describe.id(st.softState().leader()) + " commit=" + st.hardState().commit()
                + " applied=" + st.applied() + " " + Describe.confState(st.confState())
                + (st.leadTransferee() != 0 ? " transferee=" + Describe.id(st.leadTransferee()) : ""));
        for (Map.Entry<Long, ProgressStatus> e : st.progress().entrySet()) {
            ProgressStatus p = e.getValue();
            line("  " + Describe.id(e.getKey()) + ": " + p.state() + " match=" + p.match() + " next=" + p.next()
                    + (p.learner() ? " learner" : "") + (p.recentActive() ? "" : " inactive"));
        }
    }

    void raftLog(long id) {
        Node n = node(id);
        RaftLog log = n.raw.raft().log;
        if (log.lastIndex() < log.firstIndex()) {
            line("log is empty: first index=" + log.firstIndex() + ", last index=" + log.lastIndex());
            return;
        }
        for (Entry e : log.slice(log.firstIndex(), log.lastIndex() + 1, Long.MAX_VALUE)) {
            line(Describe.entry(e));
        }
    }

    static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
