/**
 * What cross-module tests stand on: spawned {@code bin/etcd} processes on free loopback ports,
 * the real Go etcdctl, bounded command execution. Every process started here is stopped by its
 * PID when the test ends.
 */
package io.etcdj.tests.framework;
