/**
 * The {@code etcd} program: command line, architecture check, start-up, signal handling and
 * exit codes, in etcd's behaviour. Everything it starts lives in {@code embed}.
 */
package io.etcdj.server.etcdmain;
