package io.etcdj.tests.framework;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * A {@code bin/etcd} process on free loopback ports with its own data dir: what an operator
 * runs, started the way an operator starts it. Always closed by its PID: SIGTERM, then SIGKILL
 * if it has not exited within the grace period.
 */
public final class SpawnedEtcd implements AutoCloseable {

    private static final Duration START_TIMEOUT = Duration.ofSeconds(90);
    private static final Duration STOP_GRACE = Duration.ofSeconds(20);

    /** Replaced only by {@link #killAndRestart()}, on the test's thread. */
    private Process process;
    private final Path log;
    private final int clientPort;
    private final int peerPort;
    private final ProcessBuilder builder;

    private SpawnedEtcd(Process process, Path log, int clientPort, int peerPort, ProcessBuilder builder) {
        this.process = process;
        this.log = log;
        this.clientPort = clientPort;
        this.peerPort = peerPort;
        this.builder = builder;
    }

    /** Starts a single member in {@code workDir} and waits until it answers /version. */
    public static SpawnedEtcd start(Path workDir, String... extraArgs) {
        return start(workDir, Map.of(), extraArgs);
    }

    public static SpawnedEtcd start(Path workDir, Map<String, String> environment, String... extraArgs) {
        int clientPort = Ports.free();
        int peerPort = Ports.free();
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
        Path log = workDir.resolve("etcd.log");
        try {
            ProcessBuilder builder = new ProcessBuilder(command)
                    .directory(workDir.toFile())
                    .redirectErrorStream(true)
                    .redirectOutput(log.toFile());
            builder.environment().putAll(environment);
            SpawnedEtcd etcd = new SpawnedEtcd(builder.start(), log, clientPort, peerPort, builder);
            etcd.awaitReady();
            return etcd;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private void awaitReady() {
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
        long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new AssertionError("bin/etcd exited with " + process.exitValue() + " before serving:\n" + log());
            }
            try {
                HttpResponse<String> response = http.send(
                        HttpRequest.newBuilder(URI.create(clientUrl() + "/version")).timeout(Duration.ofSeconds(2)).build(),
                        HttpResponse.BodyHandlers.ofString());
                if (response.statusCode() == 200) {
                    return;
                }
            } catch (IOException e) {
                // Not listening yet.
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError("interrupted", e);
            }
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(200));
        }
        close();
        throw new AssertionError("bin/etcd did not serve /version within " + START_TIMEOUT + ":\n" + log());
    }

    /**
     * SIGKILL, then the same command on the same data dir and ports, waiting until it serves
     * again: a crash and an operator's restart. The log keeps both runs.
     */
    public void killAndRestart() {
        process.destroyForcibly();
        try {
            if (!process.waitFor(STOP_GRACE.toMillis(), TimeUnit.MILLISECONDS)) {
                throw new AssertionError("bin/etcd did not die within " + STOP_GRACE + " of SIGKILL");
            }
            builder.redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
            process = builder.start();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", e);
        }
        awaitReady();
    }

    public String clientUrl() {
        return "http://127.0.0.1:" + clientPort;
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
        return process.pid();
    }

    public String log() {
        try {
            return Files.readString(log);
        } catch (IOException e) {
            return "(no log: " + e + ")";
        }
    }

    /** SIGTERM, wait for a graceful exit; returns the exit code. */
    public int stop() {
        process.destroy();
        try {
            if (process.waitFor(STOP_GRACE.toMillis(), TimeUnit.MILLISECONDS)) {
                return process.exitValue();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        process.destroyForcibly();
        throw new AssertionError("bin/etcd did not stop within " + STOP_GRACE + " of SIGTERM:\n" + log());
    }

    @Override
    public void close() {
        if (process.isAlive()) {
            process.destroyForcibly();
            try {
                process.waitFor(STOP_GRACE.toMillis(), TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
