/**
 * What the server says about itself: etcdj's version, the etcd API version it implements (the
 * one clients and Kubernetes read), and the supported-architecture rule etcd applies at start-up.
 */
package io.etcdj.server.version;
