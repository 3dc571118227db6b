/**
 * etcd's raft as a pure, deterministic state machine: no threads, no I/O, no clock; time
 * enters as {@link io.etcdj.raft.RawNode#tick()}, randomness from the injected generator in
 * {@link io.etcdj.raft.Config}.
 *
 * <p>Data flow: the application feeds {@link io.etcdj.raft.RawNode} (ticks, peer {@link
 * io.etcdj.raft.Message}s, proposals); {@code RaftNode} runs the term checks (§5.1) and hands the
 * rest to the installed {@code Role} (follower, candidate/pre-candidate, leader), which use
 * {@code ReplicationSender}/{@code ReplicationReceiver} over the {@code RaftLog} (durable {@link
 * io.etcdj.raft.Storage} + {@code UnstableLog}) and the {@code tracker}/{@code quorum}/{@code
 * confchange} packages. Results accumulate until {@link io.etcdj.raft.RawNode#ready()} hands them
 * out as a {@link io.etcdj.raft.Ready}; its contract (persist → send → apply → advance) is
 * written on that class.
 */
package io.etcdj.raft;
