package io.etcdj.tests.framework;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * The real etcd (Debian's etcd-server 3.4.23 at {@code /usr/bin/etcd}, or {@code -Detcd.binary})
 * as a single member on free loopback ports: the oracle the differential test and the e2e
 * expectations are checked against. Killed by its PID on close.
 */
public final class ReferenceEtcd implements AutoCloseable {

    private static final Path BINARY = Path.of(System.getProperty("etcd.binary", "/usr/bin/etcd"));
    private static final Duration START_TIMEOUT = Duration.ofSeconds(60);
    private static final Duration STOP_GRACE = Duration.ofSeconds(10);

    private final ServerProcess server;
    private final int clientPort;

    private ReferenceEtcd(ServerProcess server, int clientPort) {
        this.server = server;
        this.clientPort = clientPort;
    }

    /** True when the reference binary is installed; tests that need it fail (not skip) without it. */
    public static boolean installed() {
        return Files.isExecutable(BINARY);
    }

    /**
     * Starts one member in {@code workDir} and waits until /health says it has a leader.
     * {@code snapshotCount} is small in the differential test so snapshots happen during a run.
     */
    public static ReferenceEtcd start(Path workDir, long snapshotCount, String... extraArgs) {
        return startWithClientUrl(workDir, snapshotCount, null, extraArgs);
    }

    /**
     * As {@link #start(Path, long, String...)}, also listening for clients on {@code extraClientUrl}
     * (e.g. an https URL with {@code --cert-file}); the plain http URL stays for the health probe.
     */
    public static ReferenceEtcd startWithClientUrl(Path workDir, long snapshotCount, String extraClientUrl,
            String... extraArgs) {
        if (!installed()) {
            throw new IllegalStateException(BINARY + " is missing: apt-get install -y etcd-server");
        }
        return Ports.startOnFreePorts((clientPort, peerPort) ->
                startOnPorts(workDir, snapshotCount, extraClientUrl, clientPort, peerPort, extraArgs));
    }

    private static ReferenceEtcd startOnPorts(Path workDir, long snapshotCount, String extraClientUrl,
            int clientPort, int peerPort, String... extraArgs) {
        String client = "http://127.0.0.1:" + clientPort;
        String peer = "http://127.0.0.1:" + peerPort;
        List<String> command = new ArrayList<>(List.of(BINARY.toString(),
                "--name", "ref",
                "--data-dir", workDir.resolve("ref.etcd").toString(),
                "--listen-client-urls", extraClientUrl == null ? client : client + "," + extraClientUrl,
                "--advertise-client-urls", client,
                "--listen-peer-urls", peer,
                "--initial-advertise-peer-urls", peer,
                "--initial-cluster", "ref=" + peer,
                "--snapshot-count", Long.toString(snapshotCount)));
        command.addAll(List.of(extraArgs));
        try {
            Files.createDirectories(workDir);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        // 3.4 answers {"health":"true"} on /health once a leader exists; before that "false".
        ServerProcess server = new ServerProcess("reference etcd",
                new ProcessBuilder(command).directory(workDir.toFile()), workDir.resolve("ref-etcd.log"),
                URI.create(client + "/health"), body -> body.contains("\"true\""), START_TIMEOUT, STOP_GRACE);
        return new ReferenceEtcd(server, clientPort);
    }

    /** SIGKILL, then the same command on the same data dir and ports, waiting until healthy. */
    public void killAndRestart() {
        server.killAndRestart();
    }

    public String clientUrl() {
        return "http://127.0.0.1:" + clientPort;
    }

    /** host:port, the form etcdctl's --endpoints takes. */
    public String endpoint() {
        return "127.0.0.1:" + clientPort;
    }

    public int clientPort() {
        return clientPort;
    }

    public long pid() {
        return server.pid();
    }

    public String log() {
        return server.log();
    }

    /** SIGTERM to the PID, SIGKILL if it lingers past the grace period. */
    @Override
    public void close() {
        server.stopQuietly();
    }
}
