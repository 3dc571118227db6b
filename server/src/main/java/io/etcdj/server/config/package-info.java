/**
 * Server configuration in etcd's terms: the flag table ({@link io.etcdj.server.config.EtcdFlags}),
 * Go-compatible command-line parsing with {@code ETCD_*} environment fallback
 * ({@link io.etcdj.server.config.FlagParser}), and the validated
 * {@link io.etcdj.server.config.ServerConfig} the server starts from. Errors name the flag.
 */
package io.etcdj.server.config;
