/**
 * Durable state of a member: the WAL ({@code wal}), raft snapshot files ({@code snap}), the LMDB
 * backend ({@code backend}) and its bucket layout ({@code schema}). This package holds only what
 * more than one of them encodes the same way.
 */
package io.etcdj.server.storage;
