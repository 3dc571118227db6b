/** {@code etcdctl}: the network CLI, with etcd's commands, flags, environment and output formats. */
package io.etcdj.etcdctl;
