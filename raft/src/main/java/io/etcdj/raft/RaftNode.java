package io.etcdj.raft;

import io.etcdj.raft.Message.MsgAppResp;
import io.etcdj.raft.Message.MsgPreVote;
import io.etcdj.raft.Message.MsgPreVoteResp;
import io.etcdj.raft.Message.MsgProp;
import io.etcdj.raft.Message.MsgReadIndex;
import io.etcdj.raft.Message.MsgReadIndexResp;
import io.etcdj.raft.Message.MsgVote;
import io.etcdj.raft.confchange.Restore;
import io.etcdj.raft.tracker.Progress;
import io.etcdj.raft.tracker.ProgressMap;
import io.etcdj.raft.tracker.ProgressTracker;
import java.util.ArrayList;
import java.util.List;
import java.util.random.RandomGenerator;

/**
 * The raft state shared by all roles: term and vote (§5.1), role transitions, the term checks
 * every message goes through, proposals' entries, and what {@link RawNode#advance} confirms.
 * Role-specific handling lives in the installed {@link Role}; elections in {@link Elections};
 * membership in {@link Membership}; replication in {@link ReplicationSender} / {@link
 * ReplicationReceiver}. Those collaborators read and write this node's fields directly (one
 * package, one thread). Outputs accumulate in {@link #msgs} and {@link #readStates} until {@link
 * RawNode#ready} collects them.
 */
final class RaftNode {

    final long id;
    final Config config;
    final RaftLog log;
    final ProgressTracker tracker;
    final ReplicationSender sender;
    final Elections elections;
    final Membership membership;
    final int electionTimeout;
    final int heartbeatTimeout;
    private final RaftLogger logger;
    private final RandomGenerator random;
    private final long uncommittedSizeLimitBytes;

    long term;
    long vote;
    long lead;
    StateType state = StateType.FOLLOWER;
    Role role;
    boolean isLearner;
    ReadOnly readOnly;
    final List<Message> msgs = new ArrayList<>();
    final List<ReadState> readStates = new ArrayList<>();
    final List<MsgReadIndex> pendingReadIndexMessages = new ArrayList<>();
    /** Thesis §3.10: the node leadership is being handed to, or 0. */
    long leadTransferee;
    /** The index of the latest conf change the leader appended; one is allowed at a time (§6). */
    long pendingConfIndex;
    long uncommittedSizeBytes;
    int electionElapsed;
    int heartbeatElapsed;
    int randomizedElectionTimeout;

    private final FollowerRole followerRole;
    private final CandidateRole candidateRole;
    private final CandidateRole preCandidateRole;
    final LeaderRole leaderRole;

    /** Negative-control hook for tests only: commit by counting replicas regardless of term. */
    boolean plantedBugCommitAnyTerm;

    RaftNode(Config config) {
        this.id = config.id();
        this.config = config;
        this.logger = config.logger();
        this.random = config.random();
        this.electionTimeout = config.electionTick();
        this.heartbeatTimeout = config.heartbeatTick();
        this.uncommittedSizeLimitBytes = config.uncommittedSizeLimitBytes();
        this.log = new RaftLog(config.storage(), config.maxCommittedSizePerReadyBytes());
        this.tracker = new ProgressTracker(config.maxInflightMsgs(), config.maxInflightBytes());
        this.readOnly = new ReadOnly(config.readOnlyOption());
        this.sender = new ReplicationSender(this, config.maxSizePerMsgBytes());
        this.elections = new Elections(this);
        this.membership = new Membership(this);
        ReplicationReceiver receiver = new ReplicationReceiver(this);
        this.followerRole = new FollowerRole(this, receiver);
        this.candidateRole = new CandidateRole(this, receiver, false);
        this.preCandidateRole = new CandidateRole(this, receiver, true);
        this.leaderRole = new LeaderRole(this, sender);
        this.role = followerRole;

        InitialState initial = config.storage().initialState();
        Restore.restore(tracker, log.lastIndex(), initial.confState());
        membership.afterConfigInstalled(initial.confState());
        HardState hs = initial.hardState();
        if (!hs.isEmpty()) {
            log.loadCommit(hs.commit());
            term = hs.term();
            vote = hs.vote();
        }
        if (config.applied() > 0) {
            log.appliedTo(config.applied());
        }
        becomeFollower(term, 0);
        info("newRaft %s [peers: %s, term: %d, commit: %d, applied: %d, lastindex: %d, lastterm: %d]",
                hex(id), tracker.config(), term, log.committed(), log.applied(), log.lastIndex(), log.lastTerm());
    }

    // ---- logging -------------------------------------------------------------------------

    static String hex(long id) {
        return Long.toUnsignedString(id, 16);
    }

    void info(String format, Object... args) {
        emit(LogLevel.INFO, format, args);
    }

    void warn(String format, Object... args) {
        emit(LogLevel.WARN, format, args);
    }

    void debug(String format, Object... args) {
        emit(LogLevel.DEBUG, format, args);
    }

    private void emit(LogLevel level, String format, Object... args) {
        if (logger.enabled(level)) {
            logger.log(level, hex(id) + " " + String.format(format, args));
        }
    }

    // ---- outputs -------------------------------------------------------------------------

    void send(Message m) {
        msgs.add(m);
    }

    SoftState softState() {
        return new SoftState(lead, state);
    }

    HardState hardState() {
        return new HardState(term, vote, log.committed());
    }

    // ---- role transitions ------------------------------------------------------------------

    void becomeFollower(long newTerm, long leader) {
        reset(newTerm);
        role = followerRole;
        state = StateType.FOLLOWER;
        lead = leader;
        info("became follower at term %d", term);
    }

    void becomeCandidate() {
        Invariants.check(state != StateType.LEADER, "invalid transition [leader -> candidate]");
        // §5.2: increment currentTerm, vote for self.
        reset(term + 1);
        role = candidateRole;
        vote = id;
        state = StateType.CANDIDATE;
        info("became candidate at term %d", term);
    }

    void becomePreCandidate() {
        Invariants.check(state != StateType.LEADER, "invalid transition [leader -> pre-candidate]");
        // Thesis §9.6: a pre-candidate changes neither its term nor its vote.
        role = preCandidateRole;
        tracker.resetVotes();
        lead = 0;
        state = StateType.PRE_CANDIDATE;
        info("became pre-candidate at term %d", term);
    }

    void becomeLeader() {
        Invariants.check(state != StateType.FOLLOWER, "invalid transition [follower -> leader]");
        reset(term);
        role = leaderRole;
        lead = id;
        state = StateType.LEADER;
        Progress self = tracker.get(id);
        // The leader trivially replicates to itself, and is always active for CheckQuorum.
        self.becomeReplicate();
        self.setRecentActive(true);
        // Any entry past our commit may be a conf change: allow no new one until all commit.
        pendingConfIndex = log.lastIndex();
        // §5.4.2 / thesis §6.4: an empty entry of the new term lets earlier entries commit.
        boolean appended = appendEntry(List.of(new Entry(0, 0, EntryType.NORMAL, null)));
        Invariants.check(appended, "empty entry was dropped");
        info("became leader at term %d", term);
    }

    private void reset(long newTerm) {
        if (term != newTerm) {
            term = newTerm;
            vote = 0;
        }
        lead = 0;
        electionElapsed = 0;
        heartbeatElapsed = 0;
        randomizedElectionTimeout = electionTimeout + random.nextInt(electionTimeout);
        abortLeaderTransfer();
        tracker.resetVotes();
        long last = log.lastIndex();
        ProgressMap prs = tracker.progress();
        for (int i = 0, n = prs.size(); i < n; i++) {
            prs.progressAt(i).reset(prs.idAt(i) == id ? last : 0, last + 1);
        }
        pendingConfIndex = 0;
        uncommittedSizeBytes = 0;
        readOnly = new ReadOnly(config.readOnlyOption());
        pendingReadIndexMessages.clear();
    }

    void abortLeaderTransfer() {
        leadTransferee = 0;
    }

    // ---- step: the term checks every message goes through (§5.1) ---------------------------

    void step(Message m) {
        if (m.term() > term) {
            if (!onHigherTerm(m)) {
                return;
            }
        } else if (m.term() != 0 && m.term() < term) {
            onLowerTerm(m);
            return;
        }
        switch (m) {
            case MsgVote v -> elections.handleVoteRequest(v.from(), v.term(), v.index(), v.logTerm(), false);
            case MsgPreVote v -> elections.handleVoteRequest(v.from(), v.term(), v.index(), v.logTerm(), true);
            default -> role.step(m);
        }
    }

    /** Returns false if the message must be ignored. */
    private boolean onHigherTerm(Message m) {
        if (m instanceof MsgVote || m instanceof MsgPreVote) {
            boolean transfer = m instanceof MsgVote v && v.transfer();
            boolean inLease = config.checkQuorum() && lead != 0 && electionElapsed < electionTimeout;
            if (!transfer && inLease) {
                // Thesis §4.2.3: while we hear from a leader, refuse to help unseat it; this is
                // what keeps a partitioned or removed node from disrupting the cluster.
                info("[logterm: %d, index: %d, vote: %s] ignored %s from %s at term %d: lease is not expired "
                        + "(remaining ticks: %d)", log.lastTerm(), log.lastIndex(), hex(vote),
                        m.getClass().getSimpleName(), hex(m.from()), term, electionTimeout - electionElapsed);
                return false;
            }
        }
        if (m instanceof MsgPreVote) {
            // Thesis §9.6: a pre-vote never changes our term.
            return true;
        }
        if (m instanceof MsgPreVoteResp r && !r.reject()) {
            // Granted pre-votes carry the term we would campaign at; we adopt it only on winning.
            return true;
        }
        info("received a %s message with higher term from %s [term: %d]",
                m.getClass().getSimpleName(), hex(m.from()), m.term());
        boolean fromLeader = m instanceof Message.MsgApp || m instanceof Message.MsgHeartbeat
                || m instanceof Message.MsgSnap;
        becomeFollower(m.term(), fromLeader ? m.from() : 0);
        return true;
    }

    private void onLowerTerm(Message m) {
        boolean fromLeader = m instanceof Message.MsgApp || m instanceof Message.MsgHeartbeat;
        if ((config.checkQuorum() || config.preVote()) && fromLeader) {
            // A stale leader: with CheckQuorum/PreVote we may never raise its term by a vote, so
            // tell it our term directly (it steps down on seeing it).
            send(new MsgAppResp(id, m.from(), term, 0, false, 0, 0));
        } else if (m instanceof MsgPreVote) {
            // Reject explicitly so a pre-candidate with a stale term learns ours.
            send(new MsgPreVoteResp(id, m.from(), term, true));
        }
        // §5.1: otherwise ignore messages from older terms.
    }

    // ---- elections (§5.2) ------------------------------------------------------------------

    void tick() {
        role.tick();
    }

    // ---- proposals and reads -----------------------------------------------------------------

    /** Stamps entries with our term and next indexes and appends them; false if over the limit. */
    boolean appendEntry(List<Entry> entries) {
        long last = log.lastIndex();
        List<Entry> stamped = new ArrayList<>(entries.size());
        long size = 0;
        for (int i = 0, n = entries.size(); i < n; i++) {
            Entry e = entries.get(i);
            stamped.add(new Entry(term, last + 1 + i, e.type(), e.data()));
            size += e.payloadSize();
        }
        if (uncommittedSizeBytes > 0 && size > 0 && uncommittedSizeBytes + size > uncommittedSizeLimitBytes) {
            info("appending new entries to log would exceed uncommitted entry size limit; dropping proposal");
            return false;
        }
        uncommittedSizeBytes += size;
        log.append(stamped);
        return true;
    }

    boolean committedEntryInCurrentTerm() {
        return log.termOrZero(log.committed()) == term;
    }

    /** Delivers a confirmed read: locally as a ReadState, or to the follower that asked. */
    void answerReadIndex(MsgReadIndex request, long readIndex) {
        if (request.from() == 0 || request.from() == id) {
            readStates.add(new ReadState(readIndex, request.context()));
            return;
        }
        send(new MsgReadIndexResp(id, request.from(), term, readIndex, request.context()));
    }

    // ---- advance: what the application confirmed -------------------------------------------

    void advance(Ready rd) {
        if (!rd.snapshot().isEmpty()) {
            log.stableSnapTo(rd.snapshot().metadata().index());
        }
        if (!rd.entries().isEmpty()) {
            Entry last = rd.entries().getLast();
            log.stableTo(last.index(), last.term());
            // The leader sends itself no append: its own durable write counts as its ack.
            if (state == StateType.LEADER && last.term() == term) {
                Progress self = tracker.get(id);
                if (self != null) {
                    leaderRole.handleAppendResponse(new MsgAppResp(id, id, term, last.index(), false, 0, 0), self);
                }
            }
        }
        long appliedCursor = 0;
        if (!rd.committedEntries().isEmpty()) {
            appliedCursor = rd.committedEntries().getLast().index();
            long size = 0;
            for (Entry e : rd.committedEntries()) {
                size += e.payloadSize();
            }
            uncommittedSizeBytes = size > uncommittedSizeBytes ? 0 : uncommittedSizeBytes - size;
        } else if (!rd.snapshot().isEmpty()) {
            appliedCursor = rd.snapshot().metadata().index();
        }
        if (appliedCursor > 0) {
            appliedTo(appliedCursor);
        }
    }

    private void appliedTo(long index) {
        long newApplied = Math.max(index, log.applied());
        log.appliedTo(newApplied);
        if (tracker.config().autoLeave() && newApplied >= pendingConfIndex && state == StateType.LEADER) {
            // The joint configuration is in force and auto-leave was asked for: propose leaving.
            // An empty payload is the empty ConfChangeV2 and never counts against size limits.
            try {
                step(new MsgProp(id, 0, 0, List.of(new Entry(0, 0, EntryType.CONF_CHANGE_V2, null))));
                info("initiating automatic transition out of joint configuration %s", tracker.config());
            } catch (ProposalDroppedException e) {
                // A transfer is in progress: the next advance retries (or the new leader leaves).
                info("not initiating automatic transition out of joint configuration %s: %s",
                        tracker.config(), e.getMessage());
            }
        }
    }

}
