package io.etcdj.tests.framework;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The real Go etcdctl (Debian's etcd-client 3.4.23, installed by .ci/run) pointed at one
 * endpoint. Tests use it as etcd's own client: if it accepts our answers, so will etcd's users.
 */
public final class Etcdctl {

    private static final Path BINARY = Path.of(System.getProperty("etcdctl.binary", "/usr/bin/etcdctl"));
    private static final Duration TIMEOUT = Duration.ofSeconds(30);

    private final String endpoint;

    public Etcdctl(String endpoint) {
        if (!Files.isExecutable(BINARY)) {
            throw new IllegalStateException(BINARY + " is missing: apt-get install etcd-client (.ci/run does)");
        }
        this.endpoint = endpoint;
    }

    public CommandResult run(String... args) {
        return runWithInput(null, args);
    }

    public CommandResult runWithInput(String stdin, String... args) {
        List<String> command = new ArrayList<>();
        command.add(BINARY.toString());
        command.add("--endpoints=" + endpoint);
        command.add("--dial-timeout=5s");
        command.add("--command-timeout=10s");
        command.addAll(List.of(args));
        return Commands.run(command, Map.of("ETCDCTL_API", "3"), stdin, TIMEOUT);
    }
}
