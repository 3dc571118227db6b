package io.etcdj.tests.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.etcdj.tests.framework.CommandResult;
import io.etcdj.tests.framework.Etcdctl;
import io.etcdj.tests.framework.SpawnedEtcd;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The real Go {@code etcdctl watch} (3.4) against {@code bin/etcd}: live events, prefix watches,
 * history replay with {@code --rev}, prev_kv, a watch from a compacted revision, and interactive
 * mode ({@code watch -i}) with {@code progress} — with the
 * output real etcd 3.4.23 gives for the same steps.
 */
@Tag("e2e")
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class WatchEtcdctlE2eTest {
    private static final String ETCDCTL = System.getProperty("etcdctl.binary", "/usr/bin/etcdctl");
    private static final long LINE_TIMEOUT_SECONDS = 20;

    private AutoCloseable server;
    private String endpoint;
    private Etcdctl etcdctl;

    /** The server under test; {@link WatchEtcdctlReferenceE2eTest} starts the real etcd instead. */
    String startServer(Path dir) {
        SpawnedEtcd etcd = SpawnedEtcd.start(dir);
        server = etcd;
        return etcd.endpoint();
    }

    /** Lets a subclass's {@link #startServer} hand over what {@link #stop} closes. */
    void serving(AutoCloseable started) {
        server = started;
    }

    @BeforeAll
    void start(@TempDir Path workDir) {
        endpoint = startServer(workDir);
        etcdctl = new Etcdctl(endpoint);
    }

    @AfterAll
    void stop() throws Exception {
        if (server != null) {
            server.close();
        }
    }

    @Test
    void liveEventsOfAPrefixArriveInOrderWithDeletes() throws Exception {
        try (WatchProcess watch = WatchProcess.start(endpoint, "watch", "--prefix", "live/")) {
            watch.awaitReady(marker -> put("live/ready", marker));
            put("live/a", "1");
            put("other", "x");
            put("live/b", "2");
            assertThat(etcdctl.run("del", "live/a").exitCode()).isZero();

            assertThat(watch.lines(9)).containsExactly(
                    "PUT", "live/a", "1", "PUT", "live/b", "2", "DELETE", "live/a", "");
        }
    }

    @Test
    void revReplaysHistoryThenFollowsLiveWithPrevKv() throws Exception {
        long first = put("hist", "v1");
        put("hist", "v2");
        try (WatchProcess watch = WatchProcess.start(endpoint, "watch", "--rev=" + first, "--prev-kv", "hist")) {
            // etcdctl prints the previous kv (key, value) before the event's kv.
            assertThat(watch.lines(8)).containsExactly("PUT", "hist", "v1", "PUT", "hist", "v1", "hist", "v2");
            put("hist", "v3");
            assertThat(watch.lines(5)).containsExactly("PUT", "hist", "v2", "hist", "v3");
        }
    }

    @Test
    void watchFromACompactedRevisionIsCanceledWithTheCompactRevision() throws Exception {
        long first = put("compacted", "a");
        long second = put("compacted", "b");
        put("compacted", "c");
        assertThat(etcdctl.run("compact", Long.toString(second)).exitCode()).isZero();

        try (WatchProcess watch = WatchProcess.start(endpoint, "watch", "--rev=" + first, "compacted")) {
            assertThat(watch.waitForExit()).isNotZero();
            assertThat(watch.stderr()).contains("etcdserver: mvcc: required revision has been compacted");
        }
    }

    /**
     * {@code etcdctl watch -i}: commands on stdin; {@code progress} asks for a progress response on
     * the stream of the open watch (etcdctl 3.4 supports it and prints the revision). etcdctl opens
     * that stream with the {@code hasleader} metadata, so this also passes RequireLeader.
     */
    @Test
    void interactiveWatchThenProgressPrintsTheRevision() throws Exception {
        try (WatchProcess watch = WatchProcess.start(endpoint, "watch", "-i")) {
            watch.type("watch interactive\n");
            watch.awaitReady(marker -> put("interactive", marker));
            long last = put("interactive", "v1");
            assertThat(watch.lines(3)).containsExactly("PUT", "interactive", "v1");
            watch.type("progress\n");
            assertThat(watch.lines(1)).containsExactly("progress notify: " + last);
        }
    }

    private long put(String key, String value) {
        CommandResult put = etcdctl.run("put", key, value, "-w", "json");
        assertThat(put.exitCode()).as(put.stderr()).isZero();
        String json = put.stdout();
        int at = json.indexOf("\"revision\":") + "\"revision\":".length();
        int end = at;
        while (Character.isDigit(json.charAt(end))) {
            end++;
        }
        return Long.parseLong(json.substring(at, end));
    }

    /** A long-running etcdctl whose stdout lines are collected as they come. */
    private static final class WatchProcess implements AutoCloseable {
        private final Process process;
        private final BlockingQueue<String> lines = new LinkedBlockingQueue<>(10_000);
        private final StringBuilder stderr = new StringBuilder();
        private final Thread stdoutReader;
        private final Thread stderrReader;

        private WatchProcess(Process process) {
            this.process = process;
            this.stdoutReader = Thread.ofVirtual().start(() -> pump(process.getInputStream(), lines::offer));
            this.stderrReader = Thread.ofVirtual().start(() -> pump(process.getErrorStream(), line -> {
                synchronized (stderr) {
                    stderr.append(line).append('\n');
                }
                return true;
            }));
        }

        static WatchProcess start(String endpoint, String... args) throws IOException {
            List<String> command = new ArrayList<>(List.of(ETCDCTL, "--endpoints=" + endpoint, "--dial-timeout=5s"));
            command.addAll(List.of(args));
            ProcessBuilder builder = new ProcessBuilder(command);
            builder.environment().put("ETCDCTL_API", "3");
            return new WatchProcess(builder.start());
        }

        /**
         * etcdctl prints nothing when its watch is created, so put a marker key under the watched
         * prefix until the watch shows it (bounded): after that no put can race the creation.
         */
        void awaitReady(java.util.function.Consumer<String> putMarker) throws InterruptedException {
            for (int attempt = 0; attempt < 20; attempt++) {
                String marker = "ready-" + attempt;
                putMarker.accept(marker);
                String line = lines.poll(1, TimeUnit.SECONDS);
                if (line != null) {
                    // Events come in revision order: earlier attempts' markers, if seen, come first.
                    while (!marker.equals(line)) {
                        line = lines.poll(LINE_TIMEOUT_SECONDS, TimeUnit.SECONDS);
                        assertThat(line).as("marker " + marker).isNotNull();
                    }
                    return;
                }
            }
            throw new AssertionError("etcdctl watch never showed the marker key");
        }

        /** Writes to etcdctl's stdin (interactive mode). */
        void type(String text) throws IOException {
            process.getOutputStream().write(text.getBytes(StandardCharsets.UTF_8));
            process.getOutputStream().flush();
        }

        /** The next {@code n} stdout lines, or fewer if they do not come in time. */
        List<String> lines(int n) throws InterruptedException {
            List<String> out = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                String line = lines.poll(out.isEmpty() ? LINE_TIMEOUT_SECONDS : 2, TimeUnit.SECONDS);
                if (line == null) {
                    break;
                }
                out.add(line);
            }
            return out;
        }

        int waitForExit() throws InterruptedException {
            assertThat(process.waitFor(LINE_TIMEOUT_SECONDS, TimeUnit.SECONDS)).as("etcdctl watch exits").isTrue();
            stderrReader.join(TimeUnit.SECONDS.toMillis(5));
            return process.exitValue();
        }

        String stderr() {
            synchronized (stderr) {
                return stderr.toString();
            }
        }

        @Override
        public void close() throws InterruptedException {
            process.destroy();
            if (!process.waitFor(5, TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
            stdoutReader.join(TimeUnit.SECONDS.toMillis(5));
        }

        private static void pump(java.io.InputStream in, java.util.function.Predicate<String> sink) {
            try (BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
                for (String line; (line = reader.readLine()) != null; ) {
                    sink.test(line);
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }
}
