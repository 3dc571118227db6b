/**
 * Quorum arithmetic, free of any raft state: given which voters acknowledged which index (or
 * voted which way), what is committed and who won. {@link io.etcdj.raft.quorum.MajorityConfig} is
 * one majority; {@link io.etcdj.raft.quorum.JointConfig} needs a majority of both halves during
 * joint consensus (§6 of the Raft paper). Callers pass lookups ({@link
 * io.etcdj.raft.quorum.AckedIndexer}, {@link io.etcdj.raft.quorum.VoteLookup}) so no map is built
 * per call; {@link io.etcdj.raft.quorum.IdSet} is the sorted, immutable id set everything here is
 * made of, so iteration is deterministic.
 */
package io.etcdj.raft.quorum;
