package io.etcdj.server.storage.backend;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.function.Supplier;

/**
 * Defragmentation by compacting copy, swapped in by rename. The order, and why a crash at any
 * point leaves a usable db:
 * <ol>
 *   <li>copy the committed state, without free pages, to {@code db.defrag.tmp} — crash: db intact,
 *       the temp file is deleted at the next open;</li>
 *   <li>fsync the copy — so the rename below can never expose a partially written file;</li>
 *   <li>close the old env (no reader or writer holds it: the caller holds both locks);</li>
 *   <li>rename the copy over {@code db} (atomic on POSIX) — crash before: old db; after: new db,
 *       both complete;</li>
 *   <li>fsync the directory, so the rename itself survives a power loss; reopen.</li>
 * </ol>
 * Recovery rule: at open, a leftover {@code db.defrag.tmp} is deleted; {@code db} is always whole.
 */
final class Defrag {
    private Defrag() {
    }

    static LmdbEnv run(LmdbEnv old, Path dbFile, Supplier<LmdbEnv> reopen) {
        Path tmp = dbFile.resolveSibling(dbFile.getFileName() + Backend.DEFRAG_SUFFIX);
        try {
            Files.deleteIfExists(tmp);
            old.copyTo(tmp, true);
            fsync(tmp, false);
        } catch (IOException | RuntimeException e) {
            deleteQuietly(tmp);
            throw e instanceof IOException io ? new UncheckedIOException("defrag: copy failed", io)
                    : (RuntimeException) e;
        }
        old.close();
        try {
            Files.move(tmp, dbFile, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            fsync(dbFile.toAbsolutePath().getParent(), true);
        } catch (IOException e) {
            // The caller reopens whatever complete db is in place (old if the move failed).
            throw new UncheckedIOException("defrag: swap of " + tmp + " over " + dbFile + " failed", e);
        }
        return reopen.get();
    }

    static void fsync(Path path, boolean directory) throws IOException {
        try (FileChannel ch = directory ? FileChannel.open(path, StandardOpenOption.READ)
                : FileChannel.open(path, StandardOpenOption.WRITE)) {
            ch.force(true);
        }
    }

    private static void deleteQuietly(Path p) {
        try {
            Files.deleteIfExists(p);
        } catch (IOException ignored) {
            // best effort: the next open removes it anyway
        }
    }
}
