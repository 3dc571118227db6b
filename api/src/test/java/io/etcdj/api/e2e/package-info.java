/**
 * Differential tests against the real etcd (the Debian package): our generated stubs call a
 * freshly started single-member etcd and the answers must decode into the expected values. Tagged
 * "e2e"; they need /usr/bin/etcd and spawn one process per test class, ended by PID afterwards.
 */
package io.etcdj.api.e2e;
