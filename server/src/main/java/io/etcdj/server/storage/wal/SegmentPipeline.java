package io.etcdj.server.storage.wal;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * Prepares the next segment file (a preallocated {@code N.tmp}) before the writer needs it, so
 * a cut costs a rename and an fsync instead of writing 64 MiB of zeros on the raft loop. At most
 * one spare exists at a time; with {@code ahead} false it is made on demand (tests, simulation).
 * The spare is a {@code .tmp} file: if the process dies, open() deletes it.
 */
final class SegmentPipeline implements AutoCloseable {

    static final String SPARE_SUFFIX = ".tmp";

    record Spare(Path path, Disk.DiskFile file) {
    }

    private final Disk disk;
    private final Path dir;
    private final long segmentSizeBytes;
    private final ExecutorService executor;
    private CompletableFuture<Spare> next;
    private long counter;

    SegmentPipeline(Disk disk, Path dir, long segmentSizeBytes, boolean ahead) {
        this.disk = disk;
        this.dir = dir;
        this.segmentSizeBytes = segmentSizeBytes;
        this.executor = ahead ? Executors.newSingleThreadExecutor(r -> {
            Thread thread = new Thread(r, "wal-preallocate");
            thread.setDaemon(true);
            return thread;
        }) : null;
        startNext();
    }

    /** The prepared spare (waiting for it if it is still being written); starts the next one. */
    Spare take() throws IOException {
        Spare spare;
        if (next == null) {
            spare = prepare();
        } else {
            try {
                spare = next.get();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException("interrupted waiting for the next wal segment", e);
            } catch (ExecutionException e) {
                next = null;
                throw e.getCause() instanceof UncheckedIOException u ? u.getCause()
                        : new IOException("preparing the next wal segment failed", e.getCause());
            }
        }
        next = null;
        startNext();
        return spare;
    }

    private void startNext() {
        if (executor != null) {
            next = CompletableFuture.supplyAsync(() -> {
                try {
                    return prepare();
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }, executor);
        }
    }

    private Spare prepare() throws IOException {
        Path path = dir.resolve((counter++ % 2) + SPARE_SUFFIX);
        disk.delete(path);
        Disk.DiskFile file = disk.open(path, true);
        file.preallocate(segmentSizeBytes);
        return new Spare(path, file);
    }

    @Override
    public void close() throws IOException {
        if (executor == null) {
            return;
        }
        executor.shutdown();
        if (next != null) {
            try {
                Spare spare = next.get();
                spare.file().close();
                disk.delete(spare.path());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } catch (ExecutionException ignored) {
                // The spare was never made; nothing to remove.
            }
        }
    }
}
