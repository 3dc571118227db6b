/**
 * JMH suites and heap probes of the storage layer: backend commit cost (synced and not), MVCC put
 * and range throughput, and index heap per key. Figures and commands are in docs/storage.md.
 */
package io.etcdj.benchmarks.mvcc;
