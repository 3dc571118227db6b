package io.etcdj.pkg.fileutil;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/** Static file helpers; see the package documentation for the durability contract. */
public final class FileUtil {

    /** Zeros are written in chunks of this size; bounds the buffer, not the file. */
    static final int ZERO_CHUNK_BYTES = 1 << 20;

    private FileUtil() {
    }

    /** Forces a file's data and metadata to the device. */
    public static void fsync(Path file) throws IOException {
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.WRITE)) {
            channel.force(true);
        }
    }

    /**
     * Forces a directory's entries (creations, renames, deletions) to the device. Opening a
     * directory for reading and calling {@code force} issues fsync(2) on Linux; a platform that
     * refuses to open directories gets no directory sync (such platforms have no such need).
     */
    public static void fsyncDir(Path dir) throws IOException {
        try (FileChannel channel = FileChannel.open(dir, StandardOpenOption.READ)) {
            channel.force(true);
        } catch (IOException e) {
            if (Files.isDirectory(dir) && isWindows()) {
                return;
            }
            throw e;
        }
    }

    /**
     * Creates {@code dir} and any missing parents, fsyncing each parent whose entries changed so
     * the new directories survive a crash.
     */
    public static void createDirAll(Path dir) throws IOException {
        Path absolute = dir.toAbsolutePath();
        List<Path> created = new ArrayList<>();
        for (Path p = absolute; p != null && !Files.exists(p); p = p.getParent()) {
            created.add(0, p);
        }
        for (Path p : created) {
            Files.createDirectory(p);
            fsyncDir(p.getParent());
        }
        if (!Files.isDirectory(absolute)) {
            throw new IOException("not a directory: " + absolute);
        }
    }

    /**
     * Makes the file behind {@code channel} at least {@code sizeBytes} long. Never shrinks it.
     * With {@link PreallocationMode#ZERO_FILL} the zeros are written from the current size
     * onwards and forced, so the caller may overwrite them later without growing the file.
     */
    public static void preallocate(FileChannel channel, long sizeBytes, PreallocationMode mode)
            throws IOException {
        long current = channel.size();
        if (current >= sizeBytes) {
            return;
        }
        switch (mode) {
            case SPARSE -> {
                // FileChannel cannot setLength; writing the last byte extends with a hole.
                channel.write(ByteBuffer.allocate(1), sizeBytes - 1);
            }
            case ZERO_FILL -> {
                ByteBuffer zeros = ByteBuffer.allocateDirect(ZERO_CHUNK_BYTES);
                long position = current;
                while (position < sizeBytes) {
                    zeros.clear();
                    zeros.limit((int) Math.min(ZERO_CHUNK_BYTES, sizeBytes - position));
                    while (zeros.hasRemaining()) {
                        position += channel.write(zeros, position);
                    }
                }
                channel.force(true);
            }
        }
    }

    /**
     * Replaces {@code target} with {@code content} so that after a crash the file holds either
     * its old content or all of the new one: write a temporary sibling, fsync it, rename it over
     * the target atomically, fsync the directory.
     */
    public static void writeAtomically(Path target, byte[] content) throws IOException {
        Path dir = target.toAbsolutePath().getParent();
        Path temporary = dir.resolve(target.getFileName() + ".tmp");
        try (FileChannel channel = FileChannel.open(temporary, StandardOpenOption.CREATE,
                StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING)) {
            ByteBuffer buffer = ByteBuffer.wrap(content);
            while (buffer.hasRemaining()) {
                channel.write(buffer);
            }
            channel.force(true);
        }
        renameDurably(temporary, target);
    }

    /** Atomically renames {@code from} to {@code to} (replacing it) and fsyncs the directory. */
    public static void renameDurably(Path from, Path to) throws IOException {
        try {
            Files.move(from, to, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            throw new IOException("atomic rename not supported from " + from + " to " + to, e);
        }
        fsyncDir(to.toAbsolutePath().getParent());
    }

    /** File names in {@code dir} ending in {@code suffix}, sorted by name; empty if no dir. */
    public static List<String> listBySuffix(Path dir, String suffix) throws IOException {
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        try (Stream<Path> entries = Files.list(dir)) {
            return entries.map(p -> p.getFileName().toString())
                    .filter(name -> name.endsWith(suffix))
                    .sorted()
                    .toList();
        }
    }

    private static boolean isWindows() {
        return System.getProperty("os.name", "").toLowerCase(java.util.Locale.ROOT).contains("win");
    }
}
