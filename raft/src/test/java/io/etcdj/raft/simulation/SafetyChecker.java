package io.etcdj.raft.simulation;

import java.util.HashMap;
import java.util.Map;
import java.util.TreeMap;

/**
 * Raft's safety properties (Raft paper fig. 3), checked incrementally as the harness reports what
 * each node persisted, committed and applied. It knows nothing of the raft implementation: every
 * fact arrives as numbers, so hand-made histories test the checker itself.
 *
 * <ul>
 *   <li>Election Safety: at most one leader per term, over the whole run.</li>
 *   <li>Log Matching: two persisted entries with the same index and term have identical
 *       prefixes (checked through chained prefix hashes, see {@link LogModel}).</li>
 *   <li>Leader Completeness: a node that becomes leader holds every entry committed so far.</li>
 *   <li>State Machine Safety: no two nodes apply different entries at one index; each node
 *       applies in order, only what it has committed.</li>
 *   <li>Per node, term and commit index never go back (restarts included) and the commit index
 *       never passes the persisted log.</li>
 * </ul>
 */
final class SafetyChecker {

    private record IndexTerm(long index, long term) {
    }

    private static final class NodeView {
        final LogModel log;
        long term;
        long commit;
        long applied;

        NodeView(LogModel log) {
            this.log = log;
        }
    }

    private final Map<Long, NodeView> nodes = new TreeMap<>();
    private final Map<Long, Long> leaderByTerm = new HashMap<>();
    private final Map<IndexTerm, Long> prefixByEntry = new HashMap<>();
    private final Map<Long, Long> committedPrefix = new HashMap<>();
    private final Map<Long, Long> appliedDigest = new HashMap<>();
    private long maxCommitted;
    private long checks;

    /**
     * A node starts (first boot or restart) from what it persisted: the log's start (index and
     * term before its first entry), the entries after it as (term, digest) pairs, its hard state,
     * and the index its state machine restarts from (its latest snapshot, which may be later
     * than the log's start when the log was not compacted).
     */
    void onStart(long node, long snapIndex, long snapTerm, long[][] entries, long term, long commit, long applied) {
        LogModel log = new LogModel(snapIndex, snapTerm, prefixOf(snapIndex, snapTerm));
        for (long[] e : entries) {
            recordPrefix(node, log.lastIndex() + 1, e[0], log.append(e[0], e[1]));
        }
        NodeView previous = nodes.get(node);
        if (previous != null) {
            check(term >= previous.term, "Term monotonic", node, "restarted at term %d after term %d", term, previous.term);
            check(commit >= previous.commit, "Commit monotonic", node,
                    "restarted with commit %d after persisting %d", commit, previous.commit);
        }
        NodeView view = new NodeView(log);
        view.term = term;
        view.commit = commit;
        view.applied = applied;
        nodes.put(node, view);
        checkCommitWithinLog(node, view);
    }

    /** The node persisted a snapshot: its log now starts at the snapshot point. */
    void onSnapshot(long node, long index, long term) {
        NodeView view = view(node);
        Long committed = committedPrefix.get(index);
        long prefix = prefixOf(index, term);
        check(index <= maxCommitted, "State Machine Safety", node,
                "snapshot at %d beyond every commit index seen (%d)", index, maxCommitted);
        check(committed == null || committed == prefix, "State Machine Safety", node,
                "snapshot %d/%d is not the committed entry at index %d", term, index, index);
        view.log.reset(index, term, prefix);
        view.commit = Math.max(view.commit, index);
        view.applied = index;
        checks++;
    }

    /** The node persisted entries starting at {@code firstIndex}, overwriting any tail from there. */
    void onEntries(long node, long firstIndex, long[] terms, long[] digests) {
        NodeView view = view(node);
        LogModel log = view.log;
        check(firstIndex > log.baseIndex() && firstIndex <= log.lastIndex() + 1, "Log Matching", node,
                "entries from %d do not attach to log [%d, %d]", firstIndex, log.baseIndex(), log.lastIndex());
        // A node may rewrite its own committed entries only with themselves.
        long[] ownCommitted = new long[(int) Math.max(0, Math.min(view.commit, log.lastIndex()) - firstIndex + 1)];
        for (int i = 0; i < ownCommitted.length; i++) {
            ownCommitted[i] = log.prefix(firstIndex + i);
        }
        log.truncateAfter(firstIndex - 1);
        for (int i = 0; i < terms.length; i++) {
            long index = firstIndex + i;
            check(terms[i] >= log.term(index - 1), "Log Matching", node,
                    "term %d at index %d after term %d", terms[i], index, log.term(index - 1));
            long prefix = log.append(terms[i], digests[i]);
            recordPrefix(node, index, terms[i], prefix);
            check(i >= ownCommitted.length || ownCommitted[i] == prefix, "State Machine Safety", node,
                    "overwrites index %d at or below its commit index %d", index, view.commit);
        }
        check(ownCommitted.length <= terms.length, "State Machine Safety", node,
                "truncates its log to %d below its commit index %d", log.lastIndex(), view.commit);
    }

    /** The node persisted a hard state. */
    void onHardState(long node, long term, long commit) {
        NodeView view = view(node);
        check(term >= view.term, "Term monotonic", node, "term %d after %d", term, view.term);
        check(commit >= view.commit, "Commit monotonic", node, "commit %d after %d", commit, view.commit);
        long from = Math.max(view.commit, view.log.baseIndex()) + 1;
        view.term = term;
        view.commit = commit;
        checkCommitWithinLog(node, view);
        for (long i = from; i <= commit; i++) {
            long prefix = view.log.prefix(i);
            Long earlier = committedPrefix.putIfAbsent(i, prefix);
            check(earlier == null || earlier == prefix, "State Machine Safety", node,
                    "commits a different entry %d/%d at index %d than another node", view.log.term(i), i, i);
        }
        maxCommitted = Math.max(maxCommitted, commit);
    }

    /** The node sent what only a leader sends (append, heartbeat, snapshot) in {@code term}. */
    void onLeaderTraffic(long node, long term) {
        Long other = leaderByTerm.putIfAbsent(term, node);
        check(other == null || other == node, "Election Safety", node,
                "sends as leader of term %d, but %s led it", term, other == null ? "?" : Long.toUnsignedString(other, 16));
    }

    /** The node became leader of {@code term}. */
    void onLeader(long node, long term) {
        Long other = leaderByTerm.putIfAbsent(term, node);
        check(other == null || other == node, "Election Safety", node,
                "leader of term %d, but %s already led it", term, other == null ? "?" : Long.toUnsignedString(other, 16));
        LogModel log = view(node).log;
        check(log.lastIndex() >= maxCommitted, "Leader Completeness", node,
                "leader of term %d has last index %d below committed index %d", term, log.lastIndex(), maxCommitted);
        long at = Math.max(maxCommitted, log.baseIndex());
        Long committed = committedPrefix.get(at);
        check(committed == null || committed == log.prefix(at), "Leader Completeness", node,
                "leader of term %d lacks the committed entry at index %d", term, at);
    }

    /** The node applied the entry at {@code index} to its state machine. */
    void onApply(long node, long index, long term, long digest) {
        NodeView view = view(node);
        check(index == view.applied + 1, "State Machine Safety", node,
                "applies index %d after %d", index, view.applied);
        check(index <= view.commit, "State Machine Safety", node,
                "applies index %d beyond its commit index %d", index, view.commit);
        long fingerprint = LogModel.chain(0, index, term, digest);
        Long earlier = appliedDigest.putIfAbsent(index, fingerprint);
        check(earlier == null || earlier == fingerprint, "State Machine Safety", node,
                "applies %d/%d, a different entry than another node applied at index %d", term, index, index);
        view.applied = index;
    }

    long checks() {
        return checks;
    }

    long leaderTerms() {
        return leaderByTerm.size();
    }

    long maxCommitted() {
        return maxCommitted;
    }

    long leaderOf(long term) {
        return leaderByTerm.getOrDefault(term, 0L);
    }

    long applied(long node) {
        return view(node).applied;
    }

    private void checkCommitWithinLog(long node, NodeView view) {
        check(view.commit <= view.log.lastIndex(), "Commit within log", node,
                "commit %d beyond last persisted index %d", view.commit, view.log.lastIndex());
    }

    private void recordPrefix(long node, long index, long term, long prefix) {
        Long earlier = prefixByEntry.putIfAbsent(new IndexTerm(index, term), prefix);
        check(earlier == null || earlier == prefix, "Log Matching", node,
                "entry %d/%d differs in itself or its prefix from another node's %d/%d", term, index, term, index);
    }

    /** The chained hash of the prefix ending at (index, term); a snapshot point seen first seeds it. */
    private long prefixOf(long index, long term) {
        return prefixByEntry.computeIfAbsent(new IndexTerm(index, term),
                k -> index == 0 ? 0L : LogModel.mix(index * 0x9E3779B97F4A7C15L ^ term));
    }

    private NodeView view(long node) {
        NodeView view = nodes.get(node);
        if (view == null) {
            throw new IllegalStateException("node " + Long.toUnsignedString(node, 16) + " never started");
        }
        return view;
    }

    private void check(boolean ok, String property, long node, String format, Object... args) {
        checks++;
        if (!ok) {
            throw new InvariantViolation(property,
                    "node " + Long.toUnsignedString(node, 16) + " " + String.format(format, args));
        }
    }
}
