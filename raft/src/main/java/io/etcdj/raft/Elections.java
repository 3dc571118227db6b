package io.etcdj.raft;

import io.etcdj.raft.Message.MsgPreVote;
import io.etcdj.raft.Message.MsgPreVoteResp;
import io.etcdj.raft.Message.MsgVote;
import io.etcdj.raft.Message.MsgVoteResp;
import io.etcdj.raft.quorum.IdSet;
import io.etcdj.raft.quorum.VoteResult;
import io.etcdj.raft.tracker.Progress;
import io.etcdj.raft.tracker.ProgressTracker;
import java.util.List;

/**
 * Leader election (§5.2) with the pre-vote phase of thesis §9.6: election timeouts, campaigning,
 * counting votes, and answering vote requests. Role transitions stay on {@link RaftNode}.
 */
final class Elections {

    /** Why a campaign starts. */
    enum Campaign { PRE_ELECTION, ELECTION, TRANSFER }

    private final RaftNode node;

    Elections(RaftNode node) {
        this.node = node;
    }

    void handleVoteRequest(long from, long msgTerm, long lastIndex, long lastTerm, boolean pre) {
        // §5.2: at most one vote per term; a pre-vote for a future term promises nothing.
        boolean canVote = node.vote == from || (node.vote == 0 && node.lead == 0) || (pre && msgTerm > node.term);
        // §5.4.1: only for a candidate whose log is at least as up to date as ours.
        if (canVote && node.log.isUpToDate(lastIndex, lastTerm)) {
            node.info("[logterm: %d, index: %d, vote: %s] cast %s for %s [logterm: %d, index: %d] at term %d",
                    node.log.lastTerm(), node.log.lastIndex(), RaftNode.hex(node.vote), pre ? "MsgPreVote" : "MsgVote",
                    RaftNode.hex(from), lastTerm, lastIndex, node.term);
            // Answer with the request's term: a pre-candidate counts it for that term.
            node.send(pre ? new MsgPreVoteResp(node.id, from, msgTerm, false) : new MsgVoteResp(node.id, from, msgTerm, false));
            if (!pre) {
                node.electionElapsed = 0;
                node.vote = from;
            }
        } else {
            node.info("[logterm: %d, index: %d, vote: %s] rejected %s from %s [logterm: %d, index: %d] at term %d",
                    node.log.lastTerm(), node.log.lastIndex(), RaftNode.hex(node.vote), pre ? "MsgPreVote" : "MsgVote",
                    RaftNode.hex(from), lastTerm, lastIndex, node.term);
            node.send(pre ? new MsgPreVoteResp(node.id, from, node.term, true) : new MsgVoteResp(node.id, from, node.term, true));
        }
    }

    void tickElection() {
        node.electionElapsed++;
        if (promotable() && node.electionElapsed >= node.randomizedElectionTimeout) {
            node.electionElapsed = 0;
            hup(false);
        }
    }

    /** Starts an election if allowed: a pre-vote first if enabled, unless this is a transfer. */
    void hup(boolean transfer) {
        if (node.state == StateType.LEADER) {
            node.debug("ignoring MsgHup because already leader");
            return;
        }
        if (!promotable()) {
            node.warn("is unpromotable and can not campaign");
            return;
        }
        if (hasUnappliedConfChanges()) {
            node.warn("cannot campaign at term %d since there are still pending configuration changes to apply", node.term);
            return;
        }
        node.info("is starting a new election at term %d", node.term);
        if (transfer) {
            campaign(Campaign.TRANSFER);
        } else {
            campaign(node.config.preVote() ? Campaign.PRE_ELECTION : Campaign.ELECTION);
        }
    }

    /** Voters only, not holding a snapshot yet to be persisted. */
    boolean promotable() {
        Progress pr = node.tracker.get(node.id);
        return pr != null && !pr.isLearner() && !node.log.hasPendingSnapshot();
    }

    private boolean hasUnappliedConfChanges() {
        long lo = Math.max(node.log.applied() + 1, node.log.firstIndex());
        long hi = node.log.committed() + 1;
        // Page through the unapplied tail so a long backlog doesn't load at once.
        while (lo < hi) {
            List<Entry> page = node.log.slice(lo, hi, 1024 * 1024);
            for (int i = 0, n = page.size(); i < n; i++) {
                if (page.get(i).type() != EntryType.NORMAL) {
                    return true;
                }
            }
            lo += page.size();
        }
        return false;
    }

    void campaign(Campaign type) {
        long voteTerm;
        if (type == Campaign.PRE_ELECTION) {
            node.becomePreCandidate();
            // Thesis §9.6: ask whether we would win at the next term, without moving to it.
            voteTerm = node.term + 1;
        } else {
            node.becomeCandidate();
            voteTerm = node.term;
        }
        boolean pre = type == Campaign.PRE_ELECTION;
        IdSet voters = node.tracker.voterIds();
        for (int i = 0; i < voters.size(); i++) {
            long to = voters.get(i);
            if (to == node.id) {
                if (poll(node.id, true, voteTerm).result() == VoteResult.WON) {
                    // A single voter wins alone.
                    if (pre) {
                        campaign(Campaign.ELECTION);
                    } else {
                        node.becomeLeader();
                    }
                    return;
                }
                continue;
            }
            node.info("[logterm: %d, index: %d] sent %s request to %s at term %d",
                    node.log.lastTerm(), node.log.lastIndex(), pre ? "MsgPreVote" : "MsgVote", RaftNode.hex(to), node.term);
            node.send(pre ? new MsgPreVote(node.id, to, voteTerm, node.log.lastTerm(), node.log.lastIndex())
                    : new MsgVote(node.id, to, voteTerm, node.log.lastTerm(), node.log.lastIndex(), type == Campaign.TRANSFER));
        }
    }

    ProgressTracker.Tally poll(long from, boolean granted, long msgTerm) {
        if (from != node.id) {
            node.info("received %s %sfrom %s at term %d", node.state == StateType.PRE_CANDIDATE ? "MsgPreVoteResp" : "MsgVoteResp",
                    granted ? "" : "rejection ", RaftNode.hex(from), msgTerm);
        }
        node.tracker.recordVote(from, granted);
        ProgressTracker.Tally tally = node.tracker.tallyVotes();
        node.info("has received %d %s votes and %d vote rejections", tally.granted(),
                node.state == StateType.PRE_CANDIDATE ? "MsgPreVoteResp" : "MsgVoteResp", tally.rejected());
        return tally;
    }
}
