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
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * The real etcd (Debian's etcd-server 3.4.23 at {@code /usr/bin/etcd}, or {@code -Detcd.binary})
 * as a single member on free loopback ports: the oracle the differential test and the e2e
 * expectations are checked against. Killed by its PID on close.
 */
public final class ReferenceEtcd implements AutoCloseable {

    private static final Path BINARY = Path.of(System.getProperty("etcd.binary", "/usr/bin/etcd"));
    private static final Duration START_TIMEOUT = Duration.ofSeconds(60);
    private static final Duration STOP_GRACE = Duration.ofSeconds(10);

    /** Replaced only by {@link #killAndRestart()}, on the test's thread. */
    private Process process;
    private final Path log;
    private final int clientPort;
    private final ProcessBuilder builder;

    private ReferenceEtcd(Process process, Path log, int clientPort, ProcessBuilder builder) {
        this.process = process;
        this.log = log;
        this.clientPort = clientPort;
        this.builder = builder;
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
        if (!installed()) {
            throw new IllegalStateException(BINARY + " is missing: apt-get install -y etcd-server");
        }
        int clientPort = Ports.free();
        int peerPort = Ports.free();
        String client = "http://127.0.0.1:" + clientPort;
        String peer = "http://127.0.0.1:" + peerPort;
        List<String> command = new ArrayList<>(List.of(BINARY.toString(),
                "--name", "ref",
                "--data-dir", workDir.resolve("ref.etcd").toString(),
                "--listen-client-urls", client,
                "--advertise-client-urls", client,
                "--listen-peer-urls", peer,
                "--initial-advertise-peer-urls", peer,
                "--initial-cluster", "ref=" + peer,
                "--snapshot-count", Long.toString(snapshotCount)));
        command.addAll(List.of(extraArgs));
        Path log = workDir.resolve("ref-etcd.log");
        try {
            Files.createDirectories(workDir);
            ProcessBuilder builder = new ProcessBuilder(command)
                    .directory(workDir.toFile())
                    .redirectErrorStream(true)
                    .redirectOutput(log.toFile());
            ReferenceEtcd etcd = new ReferenceEtcd(ChildProcesses.track(builder.start()), log, clientPort, builder);
            etcd.awaitHealthy();
            return etcd;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private void awaitHealthy() {
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
        long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new AssertionError("reference etcd exited with " + process.exitValue() + ":\n" + log());
            }
            try {
                HttpResponse<String> response = http.send(
                        HttpRequest.newBuilder(URI.create(clientUrl() + "/health")).timeout(Duration.ofSeconds(2)).build(),
                        HttpResponse.BodyHandlers.ofString());
                // 3.4 answers {"health":"true"} once a leader exists; before that "false".
                if (response.statusCode() == 200 && response.body().contains("\"true\"")) {
                    return;
                }
            } catch (IOException e) {
                // Not listening yet.
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError("interrupted", e);
            }
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(100));
        }
        close();
        throw new AssertionError("reference etcd not healthy within " + START_TIMEOUT + ":\n" + log());
    }

    /** SIGKILL, then the same command on the same data dir and ports, waiting until healthy. */
    public void killAndRestart() {
        process.destroyForcibly();
        try {
            if (!process.waitFor(STOP_GRACE.toMillis(), TimeUnit.MILLISECONDS)) {
                throw new AssertionError("reference etcd did not die within " + STOP_GRACE + " of SIGKILL");
            }
            builder.redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
            process = ChildProcesses.track(builder.start());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", e);
        }
        awaitHealthy();
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
        return process.pid();
    }

    public String log() {
        try {
            return Files.readString(log);
        } catch (IOException e) {
            return "(no log: " + e + ")";
        }
    }

    /** SIGTERM to the PID, SIGKILL if it lingers past the grace period. */
    @Override
    public void close() {
        if (!process.isAlive()) {
            return;
        }
        process.destroy();
        try {
            if (!process.waitFor(STOP_GRACE.toMillis(), TimeUnit.MILLISECONDS)) {
                process.destroyForcibly();
                process.waitFor(STOP_GRACE.toMillis(), TimeUnit.MILLISECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
        }
    }
}
