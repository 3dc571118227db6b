/**
 * The leader's view of each peer's log and the membership in force. {@link
 * io.etcdj.raft.tracker.Progress} is a small state machine per peer (probe → replicate, or
 * → snapshot when the peer needs entries that were compacted) with an {@link
 * io.etcdj.raft.tracker.Inflights} window bounding unacknowledged appends by count and bytes.
 * {@link io.etcdj.raft.tracker.ProgressTracker} ties the {@link io.etcdj.raft.tracker.TrackerConfig}
 * (joint voters, learners) to the progress map and answers quorum questions through {@code
 * io.etcdj.raft.quorum}. Data flows in from the leader's handling of append and heartbeat
 * responses; out as "may I send to this peer, and from which index".
 */
package io.etcdj.raft.tracker;
