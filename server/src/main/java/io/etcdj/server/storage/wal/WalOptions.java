package io.etcdj.server.storage.wal;

import io.etcdj.pkg.fileutil.PreallocationMode;
import java.util.function.LongSupplier;

/**
 * WAL settings. {@code segmentSizeBytes}: a segment is cut once its data passes this (etcd: 64
 * MiB); {@code maxRecordBytes}: the largest record accepted on write or read (a corrupt length can
 * never make the reader allocate more); {@code maxWals}: released segments beyond this many
 * files are deleted (etcd {@code --max-wals}, 0 = keep all); {@code preallocateAhead}: prepare the
 * next segment on a helper thread so a cut does not wait for it.
 */
public record WalOptions(
        long segmentSizeBytes,
        int maxRecordBytes,
        int maxWals,
        PreallocationMode preallocationMode,
        boolean preallocateAhead,
        Disk disk,
        WalMetrics metrics,
        LongSupplier nanoClock) {

    public static final long DEFAULT_SEGMENT_SIZE_BYTES = 64L << 20;
    public static final int DEFAULT_MAX_RECORD_BYTES = 16 << 20;
    public static final int DEFAULT_MAX_WALS = 5;
    /** The trailer's last byte is non-zero only while lengths stay below 2^30 (see Frames). */
    static final int LIMIT_MAX_RECORD_BYTES = 1 << 30;

    public WalOptions {
        if (segmentSizeBytes < Frames.HEADER_BYTES * 64L) {
            throw new IllegalArgumentException("segmentSizeBytes " + segmentSizeBytes + " too small");
        }
        if (maxRecordBytes <= 0 || maxRecordBytes > LIMIT_MAX_RECORD_BYTES) {
            throw new IllegalArgumentException("maxRecordBytes " + maxRecordBytes + " not in (0, 2^30]");
        }
        if (maxWals < 0) {
            throw new IllegalArgumentException("maxWals " + maxWals + " negative");
        }
    }

    /** etcd's defaults on the real disk, zero-filled preallocation (docs/wal.md says why). */
    public static WalOptions defaults() {
        return new WalOptions(DEFAULT_SEGMENT_SIZE_BYTES, DEFAULT_MAX_RECORD_BYTES, DEFAULT_MAX_WALS,
                PreallocationMode.ZERO_FILL, true, new FileDisk(PreallocationMode.ZERO_FILL),
                WalMetrics.NONE, System::nanoTime);
    }

    public WalOptions withSegmentSizeBytes(long bytes) {
        return new WalOptions(bytes, maxRecordBytes, maxWals, preallocationMode, preallocateAhead, disk, metrics, nanoClock);
    }

    public WalOptions withMaxWals(int count) {
        return new WalOptions(segmentSizeBytes, maxRecordBytes, count, preallocationMode, preallocateAhead, disk, metrics, nanoClock);
    }

    public WalOptions withMaxRecordBytes(int bytes) {
        return new WalOptions(segmentSizeBytes, bytes, maxWals, preallocationMode, preallocateAhead, disk, metrics, nanoClock);
    }

    /** The real disk preallocates with {@code mode}; a substituted disk is kept as it is. */
    public WalOptions withPreallocationMode(PreallocationMode mode) {
        Disk newDisk = disk instanceof FileDisk ? new FileDisk(mode) : disk;
        return new WalOptions(segmentSizeBytes, maxRecordBytes, maxWals, mode, preallocateAhead, newDisk, metrics, nanoClock);
    }

    public WalOptions withPreallocateAhead(boolean ahead) {
        return new WalOptions(segmentSizeBytes, maxRecordBytes, maxWals, preallocationMode, ahead, disk, metrics, nanoClock);
    }

    public WalOptions withDisk(Disk newDisk) {
        return new WalOptions(segmentSizeBytes, maxRecordBytes, maxWals, preallocationMode, preallocateAhead, newDisk, metrics, nanoClock);
    }

    public WalOptions withMetrics(WalMetrics newMetrics) {
        return new WalOptions(segmentSizeBytes, maxRecordBytes, maxWals, preallocationMode, preallocateAhead, disk, newMetrics, nanoClock);
    }
}
