/**
 * The load-generator commands of {@code bin/benchmark}, with etcd's {@code tools/benchmark} names,
 * flags and defaults: {@code put}, {@code range}, {@code txn-put}. {@link BenchmarkCommand} holds the
 * global flags ({@code --endpoints}, {@code --clients}, {@code --conns}, {@code --json},
 * {@code --precise}); each command builds one request shape and hands a blocking call to
 * {@link LoadRunner}, which drives {@code --clients} workers over {@code --conns} connections,
 * records every latency and returns {@link io.etcdj.benchmarks.report.Stats}.
 */
package io.etcdj.benchmarks.cli;
