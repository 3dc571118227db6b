package io.etcdj.raft;

/** Severity of a raft log line. */
public enum LogLevel {
    DEBUG, INFO, WARN, ERROR
}
