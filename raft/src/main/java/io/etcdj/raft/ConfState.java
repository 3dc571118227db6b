package io.etcdj.raft;

import java.util.List;

/**
 * The membership a snapshot or applied configuration change leaves in force, in etcd raft's
 * shape: voters of the incoming (or only) configuration, learners, voters of the outgoing
 * configuration while joint, learners to add once the joint configuration is left, and whether
 * the joint configuration is left automatically.
 */
public record ConfState(
        List<Long> voters,
        List<Long> learners,
        List<Long> votersOutgoing,
        List<Long> learnersNext,
        boolean autoLeave) {

    public static final ConfState EMPTY = new ConfState(List.of(), List.of(), List.of(), List.of(), false);

    public ConfState {
        voters = List.copyOf(voters);
        learners = List.copyOf(learners);
        votersOutgoing = List.copyOf(votersOutgoing);
        learnersNext = List.copyOf(learnersNext);
    }

    public static ConfState ofVoters(Long... voters) {
        return new ConfState(List.of(voters), List.of(), List.of(), List.of(), false);
    }
}
