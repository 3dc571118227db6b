package io.etcdj.tests.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.etcd.jetcd.Client;
import io.etcdj.tests.framework.ChildProcesses;
import io.etcdj.tests.framework.CommandResult;
import io.etcdj.tests.framework.Etcdctl;
import io.etcdj.tests.framework.EtcdctlProcess;
import io.etcdj.tests.framework.SpawnedEtcd;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * The real Go {@code etcdctl lock} and {@code etcdctl elect} (3.4) against {@code bin/etcd}, with
 * the same expectations checked on etcd 3.4.23 ({@link LockEtcdctlReferenceE2eTest}). etcdctl runs
 * clientv3's lock and election recipes itself, over KV txns, sorted ranges with
 * max_create_revision, watches from a revision and leases; the Lock and Election services are
 * driven by jetcd in {@link LockJetcdE2eTest}.
 */
@Tag("e2e")
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class LockEtcdctlE2eTest {
    private static final String ETCDCTL = System.getProperty("etcdctl.binary", "/usr/bin/etcdctl");
    private static final Duration LINE_TIMEOUT = Duration.ofSeconds(30);
    private static final Duration QUIET = Duration.ofSeconds(2);
    private static final Duration RUN_TIMEOUT = Duration.ofSeconds(120);
    private static final int HOLDERS = 5;

    private AutoCloseable server;
    private String endpoint;
    private Etcdctl etcdctl;
    private Client client;
    private Path script;

    /** The server under test; {@link LockEtcdctlReferenceE2eTest} starts the real etcd instead. */
    String startServer(Path dir) {
        SpawnedEtcd etcd = SpawnedEtcd.start(dir);
        serving(etcd);
        return etcd.endpoint();
    }

    void serving(AutoCloseable started) {
        server = started;
    }

    @BeforeAll
    void start(@TempDir Path workDir) throws IOException {
        endpoint = startServer(workDir);
        etcdctl = new Etcdctl(endpoint);
        client = Client.builder().endpoints("http://" + endpoint).build();
        script = Files.writeString(workDir.resolve("turn.sh"), MutualExclusionCheck.TURN_SCRIPT);
    }

    @AfterAll
    void stop() throws Exception {
        if (client != null) {
            client.close();
        }
        if (server != null) {
            server.close();
        }
    }

    private Map<String, String> turnEnvironment(String prefix) {
        return Map.of("ETCDCTL", ETCDCTL, "EP", endpoint, "P", prefix);
    }

    @Test
    void competingEtcdctlLockHoldersNeverOverlapAndTheirFencingTokensGrow() throws Exception {
        List<EtcdctlProcess> holders = new ArrayList<>();
        try {
            for (int i = 0; i < HOLDERS; i++) {
                holders.add(EtcdctlProcess.start(endpoint, turnEnvironment("mx"), "lock", "mx/lock", "--", "sh",
                        script.toString()));
            }
            for (EtcdctlProcess holder : holders) {
                assertThat(holder.waitForExit(RUN_TIMEOUT)).as("etcdctl lock: %s", holder.stderr()).isZero();
            }
        } finally {
            for (EtcdctlProcess holder : holders) {
                holder.close();
            }
        }
        assertThat(MutualExclusionCheck.problems(client.getKVClient(), "mx", HOLDERS)).isEmpty();
        assertThat(etcdctl.run("get", "--prefix", "mx/lock/").stdout()).as("every lock key released").isEmpty();
    }

    /** Negative control: the same turns run without the lock must be caught by the check. */
    @Test
    void theCheckCatchesTurnsTakenWithoutTheLock() throws Exception {
        List<Process> shells = new ArrayList<>();
        try {
            for (int i = 0; i < HOLDERS; i++) {
                // A stand-in lock key that exists, so only the overlap itself can fail the check.
                String key = "nolock/own-" + i;
                assertThat(etcdctl.run("put", key, "x").exitCode()).isZero();
                ProcessBuilder sh = new ProcessBuilder("sh", script.toString()).redirectErrorStream(true);
                sh.environment().putAll(turnEnvironment("nl"));
                sh.environment().put("ETCDCTL_API", "3");
                sh.environment().put("ETCD_LOCK_KEY", key);
                sh.environment().put("ETCD_LOCK_REV", Integer.toString(1_000_000 + i));
                shells.add(ChildProcesses.track(sh.start()));
            }
            for (Process shell : shells) {
                assertThat(shell.waitFor(RUN_TIMEOUT.toSeconds(), TimeUnit.SECONDS)).isTrue();
            }
        } finally {
            shells.forEach(Process::destroyForcibly);
        }
        assertThat(MutualExclusionCheck.problems(client.getKVClient(), "nl", HOLDERS)).isNotEmpty();
    }

    @Test
    void etcdctlLockExportsTheKeyAndAFencingRevisionToItsCommand() {
        CommandResult run = etcdctl.run("lock", "env-lock", "--", "sh", "-c", "echo \"$ETCD_LOCK_KEY $ETCD_LOCK_REV\"");
        assertThat(run.exitCode()).as(run.stderr()).isZero();
        String[] fields = run.stdout().trim().split(" ");
        assertThat(fields[0]).matches("env-lock/[0-9a-f]+");
        long rev = Long.parseLong(fields[1]);
        assertThat(rev).isPositive();
        assertThat(etcdctl.run("get", "--prefix", "env-lock/").stdout()).isEmpty();
    }

    @Test
    void aKilledHoldersLockPassesOnWhenItsLeaseExpires() throws Exception {
        try (EtcdctlProcess first = EtcdctlProcess.start(endpoint, Map.of(), "lock", "--ttl=2", "crash-lock");
                EtcdctlProcess second = EtcdctlProcess.start(endpoint, Map.of(), "lock", "--ttl=2", "crash-lock")) {
            String firstKey = first.nextLine(LINE_TIMEOUT);
            String secondKey = second.nextLine(LINE_TIMEOUT);
            // Whichever got in first holds it; the other must still be waiting.
            EtcdctlProcess holder = firstKey != null ? first : second;
            EtcdctlProcess waiter = holder == first ? second : first;
            String heldKey = firstKey != null ? firstKey : secondKey;
            assertThat(heldKey).as("a holder").matches("crash-lock/[0-9a-f]+");
            assertThat(waiter.nextLine(QUIET)).as("the waiter while the lock is held").isNull();

            holder.kill(); // SIGKILL: no unlock, the lease has to expire
            String next = waiter.nextLine(LINE_TIMEOUT);
            assertThat(next).as("the waiter after the holder's lease expired").matches("crash-lock/[0-9a-f]+")
                    .isNotEqualTo(heldKey);
            assertThat(etcdctl.run("get", "--prefix", "crash-lock/", "--keys-only").stdout().trim()).isEqualTo(next);
        }
    }

    @Test
    void etcdctlElectPassesLeadershipOnAndAnObserverSeesEachLeader() throws Exception {
        try (EtcdctlProcess observer = EtcdctlProcess.start(endpoint, Map.of(), "elect", "-l", "el");
                EtcdctlProcess first = EtcdctlProcess.start(endpoint, Map.of(), "elect", "el", "p1")) {
            String firstKey = first.nextLine(LINE_TIMEOUT);
            assertThat(firstKey).matches("el/[0-9a-f]+");
            assertThat(first.nextLine(LINE_TIMEOUT)).isEqualTo("p1");
            assertThat(observer.nextLine(LINE_TIMEOUT)).isEqualTo(firstKey);
            assertThat(observer.nextLine(LINE_TIMEOUT)).isEqualTo("p1");
            try (EtcdctlProcess second = EtcdctlProcess.start(endpoint, Map.of(), "elect", "el", "p2")) {
                assertThat(second.nextLine(QUIET)).as("a second candidate while the first leads").isNull();
                first.terminate(); // SIGTERM: etcdctl elect resigns
                String secondKey = second.nextLine(LINE_TIMEOUT);
                assertThat(secondKey).matches("el/[0-9a-f]+").isNotEqualTo(firstKey);
                assertThat(second.nextLine(LINE_TIMEOUT)).isEqualTo("p2");
                assertThat(observer.nextLine(LINE_TIMEOUT)).isEqualTo(secondKey);
                assertThat(observer.nextLine(LINE_TIMEOUT)).isEqualTo("p2");
                assertThat(etcdctl.run("get", "--prefix", "el/", "--keys-only").stdout().trim()).isEqualTo(secondKey);
            }
        }
    }
}
