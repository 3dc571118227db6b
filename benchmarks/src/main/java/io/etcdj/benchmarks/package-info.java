/**
 * {@code bin/benchmark}: etcd's load generator (issue 8) and the JMH suites of the hot paths, one
 * sub-package per subsystem (raft, wal, mvcc, ...).
 */
package io.etcdj.benchmarks;
