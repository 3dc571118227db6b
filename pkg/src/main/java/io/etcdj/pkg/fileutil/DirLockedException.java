package io.etcdj.pkg.fileutil;

import java.io.IOException;
import java.nio.file.Path;

/** Another process (or another owner in this one) holds the lock on a data directory. */
public final class DirLockedException extends IOException {

    private final Path dir;

    public DirLockedException(Path dir) {
        super("directory " + dir + " is locked by another process (or another owner in this one): "
                + "is another etcd running on this data dir?");
        this.dir = dir;
    }

    public Path dir() {
        return dir;
    }
}
