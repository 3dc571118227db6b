package io.etcdj.benchmarks.wal;

import io.etcdj.server.storage.wal.Disk;
import java.io.Closeable;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * A disk that keeps names and sizes but drops the bytes: isolates the WAL's own CPU cost
 * (framing, CRC-32C, buffer copies) from the device. Reads return zeros.
 */
final class NullDisk implements Disk {

    private final List<String> names = new ArrayList<>();

    @Override
    public List<String> list(Path dir, String suffix) {
        return names.stream().filter(n -> n.endsWith(suffix)).sorted().toList();
    }

    @Override
    public DiskFile open(Path file, boolean create) {
        String name = file.getFileName().toString();
        if (!names.contains(name)) {
            names.add(name);
        }
        return new DiskFile() {
            private long sizeBytes;

            @Override
            public long sizeBytes() {
                return sizeBytes;
            }

            @Override
            public void read(long offset, byte[] dst, int dstOffset, int length) {
                java.util.Arrays.fill(dst, dstOffset, dstOffset + length, (byte) 0);
            }

            @Override
            public void write(long offset, ByteBuffer src) {
                sizeBytes = Math.max(sizeBytes, offset + src.remaining());
                src.position(src.limit());
            }

            @Override
            public void force() {
            }

            @Override
            public void truncate(long bytes) {
                sizeBytes = bytes;
            }

            @Override
            public void preallocate(long bytes) {
                sizeBytes = Math.max(sizeBytes, bytes);
            }

            @Override
            public void close() {
            }
        };
    }

    @Override
    public void rename(Path from, Path to) {
        names.remove(from.getFileName().toString());
        names.add(to.getFileName().toString());
    }

    @Override
    public void delete(Path file) {
        names.remove(file.getFileName().toString());
    }

    @Override
    public void syncDir(Path dir) {
    }

    @Override
    public void createDirAll(Path dir) {
    }

    @Override
    public Closeable lock(Path dir) {
        return () -> { };
    }
}
