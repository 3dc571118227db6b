package io.etcdj.server.storage.wal;

import java.io.Closeable;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;

/**
 * A {@link SimulatedDisk} front that cuts the power when the {@code cutAtOperation}-th mutating
 * operation is issued: the simulated disk crashes (keeping a random prefix of unsynced writes,
 * maybe tearing one; or, with {@code reorderSectors}, any subset of unsynced sectors) and the
 * operation fails. {@code lying} makes {@code force} a no-op — the
 * planted bug of the negative control (an fsync that never reaches the disk).
 */
final class PowerCutDisk implements Disk {

    static final class PowerCut extends IOException {
        PowerCut() {
            super("simulated power cut");
        }
    }

    private final SimulatedDisk disk;
    private final long cutAtOperation;
    private final Random random;
    private final boolean lying;
    private final boolean reorderSectors;
    private long operations;

    PowerCutDisk(SimulatedDisk disk, long cutAtOperation, Random random, boolean lying, boolean reorderSectors) {
        this.disk = disk;
        this.cutAtOperation = cutAtOperation;
        this.random = random;
        this.lying = lying;
        this.reorderSectors = reorderSectors;
    }

    private void tick() throws PowerCut {
        if (++operations == cutAtOperation) {
            if (reorderSectors) {
                disk.crashReorderingSectors(random);
            } else {
                disk.crash(random);
            }
            throw new PowerCut();
        }
    }

    @Override
    public List<String> list(Path dir, String suffix) {
        return disk.list(dir, suffix);
    }

    @Override
    public DiskFile open(Path file, boolean create) throws IOException {
        tick();
        DiskFile inner = disk.open(file, create);
        return new DiskFile() {
            @Override
            public long sizeBytes() throws IOException {
                return inner.sizeBytes();
            }

            @Override
            public void read(long offset, byte[] dst, int dstOffset, int length) throws IOException {
                inner.read(offset, dst, dstOffset, length);
            }

            @Override
            public void write(long offset, ByteBuffer src) throws IOException {
                tick();
                inner.write(offset, src);
            }

            @Override
            public void force() throws IOException {
                tick();
                if (!lying) {
                    inner.force();
                }
            }

            @Override
            public void truncate(long sizeBytes) throws IOException {
                tick();
                inner.truncate(sizeBytes);
            }

            @Override
            public void preallocate(long sizeBytes) throws IOException {
                tick();
                inner.preallocate(sizeBytes);
            }

            @Override
            public void close() throws IOException {
                inner.close();
            }
        };
    }

    @Override
    public void rename(Path from, Path to) throws IOException {
        tick();
        disk.rename(from, to);
    }

    @Override
    public void delete(Path file) throws IOException {
        tick();
        disk.delete(file);
    }

    @Override
    public void syncDir(Path dir) throws IOException {
        tick();
        if (!lying) {
            disk.syncDir(dir);
        }
    }

    @Override
    public void createDirAll(Path dir) {
        disk.createDirAll(dir);
    }

    @Override
    public Closeable lock(Path dir) throws IOException {
        return disk.lock(dir);
    }
}
