package io.etcdj.tests.framework;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * A long-running Go etcdctl ({@code lock}, {@code elect}, {@code watch}) whose stdout lines are
 * collected as they come. Stopped through its own process handle (its PID), never by name.
 */
public final class EtcdctlProcess implements AutoCloseable {
    private static final String BINARY = System.getProperty("etcdctl.binary", "/usr/bin/etcdctl");
    /** Lines kept for the test; more than any test reads. */
    private static final int MAX_LINES = 10_000;

    private final Process process;
    private final BlockingQueue<String> lines = new LinkedBlockingQueue<>(MAX_LINES);
    private final StringBuffer stderr = new StringBuffer();
    private final Thread stdoutReader;
    private final Thread stderrReader;

    private EtcdctlProcess(Process process) {
        this.process = process;
        this.stdoutReader = Thread.ofVirtual().start(() -> pump(process.getInputStream(), lines::offer));
        this.stderrReader = Thread.ofVirtual().start(() -> pump(process.getErrorStream(), line -> {
            stderr.append(line).append('\n');
            return true;
        }));
    }

    /** {@code etcdctl --endpoints=<endpoint> <args>} with {@code environment} added to ours. */
    public static EtcdctlProcess start(String endpoint, Map<String, String> environment, String... args) {
        List<String> command = new ArrayList<>(List.of(BINARY, "--endpoints=" + endpoint, "--dial-timeout=5s"));
        command.addAll(List.of(args));
        ProcessBuilder builder = new ProcessBuilder(command);
        builder.environment().put("ETCDCTL_API", "3");
        builder.environment().putAll(environment);
        try {
            return new EtcdctlProcess(ChildProcesses.track(builder.start()));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public long pid() {
        return process.pid();
    }

    /** The next stdout line, or null if none comes within {@code timeout}. */
    public String nextLine(Duration timeout) throws InterruptedException {
        return lines.poll(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** Waits (bounded) for the process to exit and answers its exit code; fails if it does not. */
    public int waitForExit(Duration timeout) throws InterruptedException {
        if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
            throw new AssertionError("etcdctl (pid " + pid() + ") still running after " + timeout
                    + "; stderr: " + stderr());
        }
        stdoutReader.join(TimeUnit.SECONDS.toMillis(5));
        stderrReader.join(TimeUnit.SECONDS.toMillis(5));
        return process.exitValue();
    }

    public boolean isAlive() {
        return process.isAlive();
    }

    public String stderr() {
        return stderr.toString();
    }

    /** SIGTERM to this process: etcdctl lock unlocks and etcdctl elect resigns on it. */
    public void terminate() {
        process.destroy();
    }

    /** SIGKILL to this process: it gets no chance to release anything. */
    public void kill() {
        process.destroyForcibly();
    }

    @Override
    public void close() throws InterruptedException {
        if (process.isAlive()) {
            process.destroy();
            if (!process.waitFor(5, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                process.waitFor(5, TimeUnit.SECONDS);
            }
        }
    }

    private interface LineSink {
        boolean accept(String line);
    }

    private static void pump(InputStream in, LineSink sink) {
        try (BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
            for (String line; (line = reader.readLine()) != null; ) {
                sink.accept(line);
            }
        } catch (IOException e) {
            // The process ended; nothing more to read.
        }
    }
}
