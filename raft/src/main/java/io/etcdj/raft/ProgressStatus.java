package io.etcdj.raft;

import io.etcdj.raft.tracker.ProgressState;

/** A snapshot of the leader's view of one peer. */
public record ProgressStatus(long match, long next, ProgressState state, boolean learner, boolean recentActive) {
}
