package io.etcdj.tests.framework;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A {@code bin/etcd} process on free loopback ports with its own data dir: what an operator
 * runs, started the way an operator starts it. Always closed by its PID: SIGTERM, then SIGKILL
 * if it has not exited within the grace period.
 */
public final class SpawnedEtcd implements AutoCloseable {

    private static final Duration START_TIMEOUT = Duration.ofSeconds(90);
    private static final Duration STOP_GRACE = Duration.ofSeconds(20);

    private final ServerProcess server;
    private final int clientPort;
    private final int peerPort;

    private SpawnedEtcd(ServerProcess server, int clientPort, int peerPort) {
        this.server = server;
        this.clientPort = clientPort;
        this.peerPort = peerPort;
    }

    /** Starts a single member in {@code workDir} and waits until it answers /version. */
    public static SpawnedEtcd start(Path workDir, String... extraArgs) {
        return start(workDir, Map.of(), extraArgs);
    }

    public static SpawnedEtcd start(Path workDir, Map<String, String> environment, String... extraArgs) {
        return Ports.startOnFreePorts((clientPort, peerPort) ->
                startOnPorts(workDir, environment, clientPort, peerPort, extraArgs));
    }

    private static SpawnedEtcd startOnPorts(Path workDir, Map<String, String> environment, int clientPort,
            int peerPort, String... extraArgs) {
        String client = "http://127.0.0.1:" + clientPort;
        String peer = "http://127.0.0.1:" + peerPort;
        List<String> command = new ArrayList<>(List.of(Repo.bin("etcd").toString(),
                "--name", "e2e",
                "--data-dir", workDir.resolve("e2e.etcd").toString(),
                "--listen-client-urls", client,
                "--advertise-client-urls", client,
                "--listen-peer-urls", peer,
                "--initial-advertise-peer-urls", peer,
                "--initial-cluster", "e2e=" + peer));
        command.addAll(List.of(extraArgs));
        try {
            Files.createDirectories(workDir);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        ProcessBuilder builder = new ProcessBuilder(command).directory(workDir.toFile());
        builder.environment().putAll(environment);
        ServerProcess server = new ServerProcess("bin/etcd", builder, workDir.resolve("etcd.log"),
                URI.create(client + "/version"), body -> true, START_TIMEOUT, STOP_GRACE);
        return new SpawnedEtcd(server, clientPort, peerPort);
    }

    /**
     * SIGKILL, then the same command on the same data dir and ports, waiting until it serves
     * again: a crash and an operator's restart. The log keeps both runs.
     */
    public void killAndRestart() {
        server.killAndRestart();
    }

    /** SIGTERM and a graceful exit, then the same command on the same data dir and ports: a clean restart. */
    public void stopAndRestart() {
        server.stopAndRestart();
    }

    public String clientUrl() {
        return "http://127.0.0.1:" + clientPort;
    }

    public int clientPort() {
        return clientPort;
    }

    /** host:port, the form etcdctl's --endpoints takes. */
    public String endpoint() {
        return "127.0.0.1:" + clientPort;
    }

    /** The peer port in --initial-cluster, from which the member id derives. */
    public int peerPort() {
        return peerPort;
    }

    public long pid() {
        return server.pid();
    }

    public String log() {
        return server.log();
    }

    /** SIGTERM, wait for a graceful exit; returns the exit code. */
    public int stop() {
        return server.stop();
    }

    /** SIGKILL: tests do not wait for a graceful shutdown they do not check. */
    @Override
    public void close() {
        server.kill();
    }
}
