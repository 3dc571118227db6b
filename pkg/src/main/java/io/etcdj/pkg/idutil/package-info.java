/** Cluster-unique 64-bit ids (requests, leases) in etcd's member-prefix + time-counter scheme. */
package io.etcdj.pkg.idutil;
