package io.etcdj.server.mvcc;

/**
 * HashKV's answer: CRC-32C (Castagnoli) over the key bucket name and every (revision key, KeyValue
 * bytes) pair up to {@code hashRevision}, skipping what compaction at {@code compactRevision}
 * removes. Equal on every member with the same history, whatever each member's physical
 * compaction progress.
 */
public record KeyValueHash(int hash, long compactRevision, long hashRevision) {
}
