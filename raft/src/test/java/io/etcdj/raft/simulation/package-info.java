/**
 * A deterministic, single-threaded simulation of raft clusters in the VOPR style (STYLE.md §17):
 * seeded network faults (loss, duplication, reordering, symmetric, one-way and partial
 * partitions), crashes that lose everything not yet persisted, membership changes and snapshots,
 * with raft's safety properties checked after every processed Ready. A failure names its seed;
 * {@code -Draft.sim.seed=N} replays it. See docs/raft-simulation.md.
 */
package io.etcdj.raft.simulation;
