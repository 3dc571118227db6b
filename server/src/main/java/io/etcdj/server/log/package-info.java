/**
 * Logging in etcd's shape: JSON lines on stderr with zap's keys (level, ts, caller, msg, then
 * the event's fields), written by a Logback encoder configured in {@code logback.xml}.
 */
package io.etcdj.server.log;
