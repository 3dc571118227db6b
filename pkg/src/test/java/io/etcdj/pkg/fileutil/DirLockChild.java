package io.etcdj.pkg.fileutil;

import java.nio.file.Path;

/** Run in a child JVM by {@link DirLockTest}: tries the lock once and reports by exit code. */
public final class DirLockChild {

    static final int EXIT_LOCKED = 3;

    private DirLockChild() {
    }

    public static void main(String[] args) throws Exception {
        try (DirLock lock = DirLock.acquire(Path.of(args[0]))) {
            System.out.println("acquired " + lock.dir());
        } catch (DirLockedException e) {
            System.out.println(e.getMessage());
            System.exit(EXIT_LOCKED);
        }
    }
}
