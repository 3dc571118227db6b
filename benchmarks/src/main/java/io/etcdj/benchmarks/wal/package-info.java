/**
 * JMH suites for the WAL: the raw fsync rate of the disk measured the way etcd's fio check does
 * (2300-byte appends, fdatasync after each), and WAL saves at several batch sizes next to it.
 * Figures and the command line are in docs/wal.md.
 */
package io.etcdj.benchmarks.wal;
