package io.etcdj.raft;

/**
 * A node's role-specific behaviour: how it handles messages that survive the term checks in
 * {@link RaftNode#step} and what a tick does. Swapped as a value on every transition
 * ({@code becomeFollower} installs the follower's step and tick), so no handler switches on the
 * state.
 */
sealed interface Role permits FollowerRole, CandidateRole, LeaderRole {

    StateType state();

    void step(Message m);

    void tick();
}
