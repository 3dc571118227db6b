package io.etcdj.tests.framework;

import java.nio.file.Files;
import java.nio.file.Path;

/** The repository root, where bin/etcd lives; Maven passes it as the etcdj.root property. */
public final class Repo {

    private Repo() {
    }

    public static Path root() {
        String property = System.getProperty("etcdj.root");
        Path root = property != null ? Path.of(property) : Path.of("..").toAbsolutePath().normalize();
        if (!Files.isExecutable(root.resolve("bin/etcd"))) {
            throw new IllegalStateException("bin/etcd not found under " + root);
        }
        return root;
    }

    public static Path bin(String program) {
        return root().resolve("bin").resolve(program);
    }
}
