/**
 * Starting and stopping a member: the client listener (Armeria: gRPC, HTTP, metrics on one port)
 * and, as they land, the server core behind it. {@link io.etcdj.server.embed.Etcd} is what
 * {@code bin/etcd} runs and what in-process tests embed.
 */
package io.etcdj.server.embed;
