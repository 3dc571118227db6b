/**
 * JMH suites of the raft core alone: proposals through an in-memory three-member cluster on one
 * thread, so the figures measure the state machine, not disks or networks. See
 * docs/raft-simulation.md for the command and the figures.
 */
package io.etcdj.benchmarks.raft;
