package io.etcdj.raft.tracker;

import io.etcdj.raft.ConfState;
import io.etcdj.raft.quorum.IdSet;
import io.etcdj.raft.quorum.VoteLookup;
import io.etcdj.raft.quorum.VoteResult;
import java.util.List;
import java.util.TreeMap;

/** Configuration, per-peer progress and the votes of the current election. */
public final class ProgressTracker {

    private TrackerConfig config = TrackerConfig.EMPTY;
    private ProgressMap progress = new ProgressMap();
    /** Votes received in the current (pre-)election; a TreeMap: small and ordered. */
    private final TreeMap<Long, Boolean> votes = new TreeMap<>();
    private final int maxInflightMsgs;
    private final long maxInflightBytes;

    public ProgressTracker(int maxInflightMsgs, long maxInflightBytes) {
        this.maxInflightMsgs = maxInflightMsgs;
        this.maxInflightBytes = maxInflightBytes;
    }

    public Inflights newInflights() {
        return new Inflights(maxInflightMsgs, maxInflightBytes);
    }

    public TrackerConfig config() {
        return config;
    }

    public ProgressMap progress() {
        return progress;
    }

    public Progress get(long id) {
        return progress.get(id);
    }

    /** Installs a configuration computed by the confchange package. */
    public void install(TrackerConfig newConfig, ProgressMap newProgress) {
        this.config = newConfig;
        this.progress = newProgress;
    }

    public ConfState confState() {
        return new ConfState(
                config.voters().incoming().voters().toList(),
                config.learners().toList(),
                config.voters().outgoing().voters().toList(),
                config.learnersNext().toList(),
                config.autoLeave());
    }

    /** A single voter and nothing else: the leader decides alone. */
    public boolean isSingleton() {
        return config.voters().incoming().size() == 1 && !config.voters().isJoint();
    }

    public IdSet voterIds() {
        return config.voters().ids();
    }

    /** The largest index a quorum of voters has acknowledged. */
    public long committed() {
        return config.voters().committedIndex(id -> {
            Progress pr = progress.get(id);
            return pr == null ? 0 : pr.match;
        });
    }

    /** Whether a quorum of voters was recently active (CheckQuorum). */
    public boolean quorumActive() {
        VoteResult result = config.voters().voteResult(id -> {
            Progress pr = progress.get(id);
            if (pr == null) {
                return VoteLookup.Vote.MISSING;
            }
            return pr.recentActive ? VoteLookup.Vote.YES : VoteLookup.Vote.NO;
        });
        return result == VoteResult.WON;
    }

    public void resetVotes() {
        votes.clear();
    }

    /** Records a vote; only the first vote from each node counts. */
    public void recordVote(long id, boolean granted) {
        votes.putIfAbsent(id, granted);
    }

    /** Granted and rejected counts among current voters, and the result. */
    public Tally tallyVotes() {
        int granted = 0;
        int rejected = 0;
        IdSet voters = voterIds();
        for (int i = 0; i < voters.size(); i++) {
            Boolean v = votes.get(voters.get(i));
            if (v == null) {
                continue;
            }
            if (v) {
                granted++;
            } else {
                rejected++;
            }
        }
        VoteResult result = config.voters().voteResult(id -> {
            Boolean v = votes.get(id);
            if (v == null) {
                return VoteLookup.Vote.MISSING;
            }
            return v ? VoteLookup.Vote.YES : VoteLookup.Vote.NO;
        });
        return new Tally(granted, rejected, result);
    }

    /** Outcome of counting votes. */
    public record Tally(int granted, int rejected, VoteResult result) {
    }

    public List<Long> learnerIds() {
        return config.learners().toList();
    }

    public void forEach(ProgressMap.Visitor visitor) {
        progress.forEach(visitor);
    }
}
