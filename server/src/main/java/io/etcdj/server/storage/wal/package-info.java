/**
 * The write-ahead log: raft's hard state, entries and snapshot markers, made durable before
 * anything that depends on them is sent or applied.
 *
 * <p>Data flow. The raft-loop thread calls {@link io.etcdj.server.storage.wal.Wal#save} once per
 * raft {@code Ready}: {@code Appender} frames every record of the batch ({@code Frames},
 * {@code Payloads}) into one buffer, writes it with one call and fsyncs once (group commit). When
 * the current segment passes {@code segmentSizeBytes} the WAL cuts to a spare that
 * {@code SegmentPipeline} preallocated ahead. At start-up {@link io.etcdj.server.storage.wal.Wal#open}
 * picks the segment that covers the restored snapshot and {@code readAll} replays from it
 * ({@code Replay}, {@code SegmentScanner}); the server then appends.
 *
 * <p>Durability contract. When {@code save} returns, its records are on stable storage (a
 * commit-index-only change excepted, as in etcd). A segment gets its {@code .wal} name only after
 * its first records are durable, and the previous segment is fsynced before that; so after any
 * crash the files are a sequence of complete segments whose last one may end in one torn record.
 * Only that torn record is repaired (cut off, logged). Anything else — a CRC mismatch, a record
 * that was written whole but does not check, a missing segment, a broken CRC chain between
 * segments, non-zero bytes where records end, an absent snapshot marker — stops start-up with a
 * {@link io.etcdj.server.storage.wal.CorruptWalException} naming the file and byte offset.
 * Segments are deleted only after {@code releaseLockTo} says the backend holds their entries.
 *
 * <p>All I/O goes through {@link io.etcdj.server.storage.wal.Disk}; {@link
 * io.etcdj.server.storage.wal.SimulatedDisk} replaces it in crash tests and simulation. The
 * format is specified in {@code docs/wal.md}.
 */
package io.etcdj.server.storage.wal;
