package io.etcdj.raft.tracker;

import io.etcdj.raft.quorum.IdSet;
import io.etcdj.raft.quorum.JointConfig;

/**
 * The membership in force. {@code learnersNext} holds nodes demoted to learner while still
 * voters of the outgoing half of a joint configuration: they become learners when the joint
 * configuration is left. {@code autoLeave}: leave the joint configuration as soon as it is
 * applied, without an explicit empty ConfChangeV2.
 */
public record TrackerConfig(JointConfig voters, IdSet learners, IdSet learnersNext, boolean autoLeave) {

    public static final TrackerConfig EMPTY =
            new TrackerConfig(JointConfig.EMPTY, IdSet.EMPTY, IdSet.EMPTY, false);

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder("voters=").append(voters);
        if (!learners.isEmpty()) {
            sb.append(" learners=").append(learners);
        }
        if (!learnersNext.isEmpty()) {
            sb.append(" learners_next=").append(learnersNext);
        }
        if (autoLeave) {
            sb.append(" autoleave");
        }
        return sb.toString();
    }
}
