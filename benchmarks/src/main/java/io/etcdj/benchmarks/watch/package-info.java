/**
 * JMH suite of the server's watch hub: {@link io.etcdj.benchmarks.watch.WatchFanOutBenchmark}
 * hands one revision to the hub and waits until every synced watcher's response has reached its
 * stream observer.
 */
package io.etcdj.benchmarks.watch;
