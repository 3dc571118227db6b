package io.etcdj.tests.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.etcdj.tests.framework.CommandResult;
import io.etcdj.tests.framework.Etcdctl;
import io.etcdj.tests.framework.ReferenceEtcd;
import io.etcdj.tests.framework.SpawnedEtcd;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Checkpointed remaining lease TTLs across restarts, seen with the Go etcdctl 3.4. Four servers
 * each get a 300 s lease that then counts down for 60 s before the server restarts. Long, because
 * on a loaded machine a JVM restart has taken 30 s: four sequential restarts must fit in the TTL,
 * and a lease reset at a slow restart (300 s minus the restart time) must still be told apart
 * from a checkpointed one (≤ 244 s):
 * <ul>
 *   <li>etcdj with a 2 s checkpoint interval, SIGKILL: resumes from the last checkpoint (≤ 244 s
 *       left), never with less than the truth;</li>
 *   <li>etcdj at the default interval (5 m), SIGTERM: resumes from the shutdown checkpoint
 *       (≤ 241 s left);</li>
 *   <li>controls, so the check is seen to catch a reset: etcdj with checkpointing turned off and
 *       the real etcd 3.4.23 (which resets by design) come back with the full 300 s, counted from
 *       the restart.</li>
 * </ul>
 * The servers run side by side, so the 60 s are waited once; the reference restarts first (it
 * takes about a second).
 */
@Tag("e2e")
class LeaseCheckpointE2eTest {

    private static final Pattern GRANTED = Pattern.compile("lease ([0-9a-f]+) granted with TTL\\((\\d+)s\\)");
    private static final Pattern REMAINING = Pattern.compile(
            "lease ([0-9a-f]+) granted with TTL\\((\\d+)s\\), remaining\\((-?\\d+)s\\)");
    private static final long TTL = 300;
    private static final long COUNTED_DOWN_SECONDS = 60;
    /** Checkpointed every 2 s (+ 0.5 s sweep), rounded up: at most TTL − 60 + 3.5 left. */
    private static final long MAX_AFTER_SIGKILL = TTL - COUNTED_DOWN_SECONDS + 4;
    /** Checkpointed at SIGTERM, rounded up. */
    private static final long MAX_AFTER_SIGTERM = TTL - COUNTED_DOWN_SECONDS + 1;

    @TempDir
    Path dir;

    /** One server under test and what happened to its lease. */
    private static final class Case {
        final String name;
        final AutoCloseable server;
        final Runnable restart;
        final Etcdctl etcdctl;
        String id;
        long grantedNanos;
        long before;
        long after;
        long restartNanos;
        long truthUpperBound;

        Case(String name, AutoCloseable server, String endpoint, Runnable restart) {
            this.name = name;
            this.server = server;
            this.etcdctl = new Etcdctl(endpoint);
            this.restart = restart;
        }

        void grant() {
            CommandResult result = etcdctl.run("lease", "grant", Long.toString(TTL));
            grantedNanos = System.nanoTime();
            Matcher m = GRANTED.matcher(result.stdout().trim());
            assertThat(m.matches()).as("%s: %s", name, result.output()).isTrue();
            id = m.group(1);
        }

        long remaining() {
            CommandResult result = etcdctl.run("lease", "timetolive", id);
            Matcher m = REMAINING.matcher(result.stdout().trim());
            assertThat(m.matches()).as("%s: %s", name, result.output()).isTrue();
            assertThat(Long.parseLong(m.group(2))).as("%s: granted TTL", name).isEqualTo(TTL);
            return Long.parseLong(m.group(3));
        }

        void restartAndRead() {
            before = remaining();
            long begin = System.nanoTime();
            restart.run();
            after = remaining();
            restartNanos = System.nanoTime() - begin;
            // The most the lease can truly have left: it was granted before grantedNanos.
            truthUpperBound = TTL - TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - grantedNanos);
        }

        /** A reset lease counts down from the full TTL from some point after the restart began. */
        long resetLowerBound() {
            return TTL - TimeUnit.NANOSECONDS.toSeconds(restartNanos) - 1;
        }

        @Override
        public String toString() {
            return name + ": before " + before + " s, after " + after + " s, restart took "
                    + TimeUnit.NANOSECONDS.toMillis(restartNanos) + " ms, truth ≤ " + truthUpperBound + " s";
        }
    }

    @Test
    void remainingTtlsSurviveRestartsWhereEtcdResetsThem() throws Exception {
        List<Case> cases = new ArrayList<>();
        try {
            ReferenceEtcd reference = ReferenceEtcd.start(dir.resolve("reference"), 10_000);
            cases.add(new Case("etcd 3.4.23 SIGKILL", reference, reference.endpoint(), reference::killAndRestart));
            SpawnedEtcd killed = SpawnedEtcd.start(dir.resolve("kill"), "--experimental-lease-checkpoint-interval=2s");
            cases.add(new Case("etcdj SIGKILL", killed, killed.endpoint(), killed::killAndRestart));
            SpawnedEtcd stopped = SpawnedEtcd.start(dir.resolve("term"));
            cases.add(new Case("etcdj SIGTERM", stopped, stopped.endpoint(), stopped::stopAndRestart));
            SpawnedEtcd off = SpawnedEtcd.start(dir.resolve("off"), "--experimental-lease-checkpoint-interval=2s",
                    "--feature-gates=LeaseCheckpoint=false,LeaseCheckpointPersist=false");
            cases.add(new Case("etcdj checkpointing off, SIGKILL", off, off.endpoint(), off::killAndRestart));

            cases.forEach(Case::grant);
            long until = cases.getLast().grantedNanos + TimeUnit.SECONDS.toNanos(COUNTED_DOWN_SECONDS);
            for (int i = 0; i < 1_000 && System.nanoTime() - until < 0; i++) { // ≤ 200 s
                LockSupport.parkNanos(Math.min(until - System.nanoTime(), TimeUnit.MILLISECONDS.toNanos(200)));
            }
            cases.forEach(Case::restartAndRead);
            cases.forEach(c -> System.out.println("lease checkpoint e2e: " + c));

            for (Case c : cases) {
                assertThat(c.before).as("%s", c).isBetween(1L, TTL - COUNTED_DOWN_SECONDS);
                assertThat(c.after).as("never less than the truth: %s", c).isGreaterThanOrEqualTo(c.truthUpperBound - 1);
            }
            assertThat(cases.get(1).after).as("resumed from a checkpoint: %s", cases.get(1)).isLessThanOrEqualTo(MAX_AFTER_SIGKILL);
            assertThat(cases.get(2).after).as("resumed from the shutdown checkpoint: %s", cases.get(2))
                    .isLessThanOrEqualTo(MAX_AFTER_SIGTERM);
            for (Case control : List.of(cases.get(0), cases.get(3))) {
                assertThat(control.after).as("reset to the full TTL at the restart: %s", control)
                        .isGreaterThanOrEqualTo(control.resetLowerBound())
                        .as("and told apart from a checkpointed lease: %s", control).isGreaterThan(MAX_AFTER_SIGKILL);
            }
        } finally {
            for (Case c : cases) {
                c.server.close();
            }
        }
    }
}
