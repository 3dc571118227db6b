package io.etcdj.benchmarks.mvcc;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;

/** Scratch directories for benchmark dbs, on the same disk as the data dir would be (./target). */
final class BenchDirs {
    private BenchDirs() {
    }

    static Path create(String prefix) {
        try {
            Path base = Path.of(System.getProperty("etcdj.bench.dir", "target"));
            Files.createDirectories(base);
            return Files.createTempDirectory(base, prefix);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static void delete(Path dir) {
        try (var paths = Files.walk(dir)) {
            for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
