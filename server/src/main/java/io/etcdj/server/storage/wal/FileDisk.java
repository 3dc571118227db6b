package io.etcdj.server.storage.wal;

import io.etcdj.pkg.fileutil.DirLock;
import io.etcdj.pkg.fileutil.FileUtil;
import io.etcdj.pkg.fileutil.PreallocationMode;
import java.io.Closeable;
import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;

/** The real disk: FileChannel positional I/O, fdatasync through {@code force(false)}. */
final class FileDisk implements Disk {

    private final PreallocationMode preallocationMode;

    FileDisk(PreallocationMode preallocationMode) {
        this.preallocationMode = preallocationMode;
    }

    @Override
    public List<String> list(Path dir, String suffix) throws IOException {
        return FileUtil.listBySuffix(dir, suffix);
    }

    @Override
    public DiskFile open(Path file, boolean create) throws IOException {
        FileChannel channel = create
                ? FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.READ, StandardOpenOption.WRITE)
                : FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE);
        return new ChannelFile(channel, preallocationMode);
    }

    @Override
    public void rename(Path from, Path to) throws IOException {
        Files.move(from, to, java.nio.file.StandardCopyOption.ATOMIC_MOVE,
                java.nio.file.StandardCopyOption.REPLACE_EXISTING);
    }

    @Override
    public void delete(Path file) throws IOException {
        Files.deleteIfExists(file);
    }

    @Override
    public void syncDir(Path dir) throws IOException {
        FileUtil.fsyncDir(dir);
    }

    @Override
    public void createDirAll(Path dir) throws IOException {
        FileUtil.createDirAll(dir);
    }

    @Override
    public Closeable lock(Path dir) throws IOException {
        return DirLock.acquire(dir);
    }

    private record ChannelFile(FileChannel channel, PreallocationMode mode) implements DiskFile {

        @Override
        public long sizeBytes() throws IOException {
            return channel.size();
        }

        @Override
        public void read(long offset, byte[] dst, int dstOffset, int length) throws IOException {
            ByteBuffer buffer = ByteBuffer.wrap(dst, dstOffset, length);
            long position = offset;
            while (buffer.hasRemaining()) {
                int n = channel.read(buffer, position);
                if (n < 0) {
                    throw new EOFException("read past end of file at offset " + position);
                }
                position += n;
            }
        }

        @Override
        public void write(long offset, ByteBuffer src) throws IOException {
            long position = offset;
            while (src.hasRemaining()) {
                position += channel.write(src, position);
            }
        }

        @Override
        public void force() throws IOException {
            // fdatasync: the size is metadata fdatasync still flushes, other metadata is not needed.
            channel.force(false);
        }

        @Override
        public void truncate(long sizeBytes) throws IOException {
            channel.truncate(sizeBytes);
        }

        @Override
        public void preallocate(long sizeBytes) throws IOException {
            FileUtil.preallocate(channel, sizeBytes, mode);
            channel.force(true);
        }

        @Override
        public void close() throws IOException {
            channel.close();
        }
    }
}
