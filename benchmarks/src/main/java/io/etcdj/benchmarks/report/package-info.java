/**
 * The numbers a load run reports: {@link Stats} turns the recorded per-request latencies into
 * etcd's summary (total, slowest, fastest, average, stddev, requests/sec), its 10-bucket response
 * time histogram and its latency percentiles; {@link ReportPrinter} writes them in the layout of
 * etcd's {@code tools/benchmark} or as one JSON object for scripts such as {@code compare.sh}.
 * Pure computation: no clock, no I/O beyond the given writer.
 */
package io.etcdj.benchmarks.report;
