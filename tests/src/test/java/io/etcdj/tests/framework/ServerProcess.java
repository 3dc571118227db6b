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
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Predicate;

/**
 * The life of one server process that tests start ({@link SpawnedEtcd}, {@link ReferenceEtcd}):
 * started from a command line with its output in a log file, ready when an HTTP probe answers,
 * crash-restarted on the same command, stopped by its PID. Every wait is bounded.
 */
final class ServerProcess {

    private static final Duration PROBE_PAUSE = Duration.ofMillis(100);

    private final String name;
    private final ProcessBuilder builder;
    private final Path log;
    private final URI probe;
    private final Predicate<String> readyBody;
    private final Duration startTimeout;
    private final Duration stopGrace;
    /** Replaced only by {@link #killAndRestart()}, on the test's thread. */
    private Process process;

    /**
     * Starts {@code builder} (its output goes to {@code log}) and waits until {@code probe} answers
     * 200 with a body {@code readyBody} accepts.
     */
    ServerProcess(String name, ProcessBuilder builder, Path log, URI probe, Predicate<String> readyBody,
            Duration startTimeout, Duration stopGrace) {
        this.name = name;
        this.builder = builder.redirectErrorStream(true).redirectOutput(log.toFile());
        this.log = log;
        this.probe = probe;
        this.readyBody = readyBody;
        this.startTimeout = startTimeout;
        this.stopGrace = stopGrace;
        try {
            this.process = ChildProcesses.track(this.builder.start());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        awaitReady();
    }

    private void awaitReady() {
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
        long deadline = System.nanoTime() + startTimeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new AssertionError(name + " exited with " + process.exitValue() + " before serving:\n" + log());
            }
            try {
                HttpResponse<String> response = http.send(HttpRequest.newBuilder(probe)
                        .timeout(Duration.ofSeconds(2)).build(), HttpResponse.BodyHandlers.ofString());
                if (response.statusCode() == 200 && readyBody.test(response.body())) {
                    return;
                }
            } catch (IOException e) {
                // Not listening yet.
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError("interrupted", e);
            }
            LockSupport.parkNanos(PROBE_PAUSE.toNanos());
        }
        kill();
        throw new AssertionError(name + " not ready at " + probe + " within " + startTimeout + ":\n" + log());
    }

    /** SIGKILL, then the same command on the same data dir and ports; the log keeps both runs. */
    void killAndRestart() {
        restart(true);
    }

    /** SIGTERM and a graceful exit, then the same command on the same data dir and ports. */
    void stopAndRestart() {
        restart(false);
    }

    private void restart(boolean kill) {
        if (kill) {
            process.destroyForcibly();
        } else {
            process.destroy();
        }
        try {
            if (!process.waitFor(stopGrace.toMillis(), TimeUnit.MILLISECONDS)) {
                process.destroyForcibly();
                throw new AssertionError(name + " did not exit within " + stopGrace + " of " + (kill ? "SIGKILL" : "SIGTERM"));
            }
            builder.redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
            process = ChildProcesses.track(builder.start());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", e);
        }
        awaitReady();
    }

    /** SIGTERM and a graceful exit within the grace period; returns the exit code. */
    int stop() {
        process.destroy();
        try {
            if (process.waitFor(stopGrace.toMillis(), TimeUnit.MILLISECONDS)) {
                return process.exitValue();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        process.destroyForcibly();
        throw new AssertionError(name + " did not stop within " + stopGrace + " of SIGTERM:\n" + log());
    }

    /** SIGTERM, then SIGKILL if the process lingers past the grace period. */
    void stopQuietly() {
        if (!process.isAlive()) {
            return;
        }
        process.destroy();
        try {
            if (!process.waitFor(stopGrace.toMillis(), TimeUnit.MILLISECONDS)) {
                kill();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
        }
    }

    /** SIGKILL and wait (bounded) for the process to go. */
    void kill() {
        if (process.isAlive()) {
            process.destroyForcibly();
            try {
                process.waitFor(stopGrace.toMillis(), TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    long pid() {
        return process.pid();
    }

    String log() {
        try {
            return Files.readString(log);
        } catch (IOException e) {
            return "(no log: " + e + ")";
        }
    }
}
