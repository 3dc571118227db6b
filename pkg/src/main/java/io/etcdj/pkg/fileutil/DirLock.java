package io.etcdj.pkg.fileutil;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * An exclusive advisory lock on a directory, held through {@value #LOCK_FILE_NAME} inside it. The
 * OS drops the lock when the process dies, so a crash never leaves the directory locked. The lock
 * file itself is left in place on release: deleting it would race with a process about to lock it.
 */
public final class DirLock implements java.io.Closeable {

    public static final String LOCK_FILE_NAME = ".lock";

    private final Path dir;
    private final FileChannel channel;
    private final FileLock lock;

    private DirLock(Path dir, FileChannel channel, FileLock lock) {
        this.dir = dir;
        this.channel = channel;
        this.lock = lock;
    }

    /** Locks {@code dir} or fails at once with {@link DirLockedException} naming it. */
    public static DirLock acquire(Path dir) throws IOException {
        Path absolute = dir.toAbsolutePath();
        FileChannel channel = FileChannel.open(absolute.resolve(LOCK_FILE_NAME),
                StandardOpenOption.CREATE, StandardOpenOption.WRITE);
        FileLock lock;
        try {
            lock = channel.tryLock();
        } catch (OverlappingFileLockException e) {
            // This JVM already holds it: the JDK reports that instead of returning null.
            lock = null;
        } catch (IOException | RuntimeException e) {
            channel.close();
            throw e;
        }
        if (lock == null) {
            channel.close();
            throw new DirLockedException(absolute);
        }
        return new DirLock(absolute, channel, lock);
    }

    public Path dir() {
        return dir;
    }

    @Override
    public void close() throws IOException {
        try {
            if (lock.isValid()) {
                lock.release();
            }
        } finally {
            channel.close();
        }
    }
}
