package io.etcdj.tests.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.etcdj.tests.framework.CommandResult;
import io.etcdj.tests.framework.Etcdctl;
import io.etcdj.tests.framework.SpawnedEtcd;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * The real Go {@code etcdctl lease …} (3.4) against {@code bin/etcd}: grant, put with a lease,
 * timetolive with keys, list, keep-alive, revoke, expiry of a short lease and leases across a
 * crash — with the output the real etcd 3.4.23 prints ({@link LeaseEtcdctlReferenceE2eTest});
 * lease ids differ between servers, so they are compared as {@code <id>}.
 */
@Tag("e2e")
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class LeaseEtcdctlE2eTest {
    private static final Pattern GRANTED = Pattern.compile("lease ([0-9a-f]+) granted with TTL\\((\\d+)s\\)");
    private static final long EXPIRY_WAIT_SECONDS = 15;

    private AutoCloseable server;
    private Runnable crash;
    private Etcdctl etcdctl;

    /** The server under test; {@link LeaseEtcdctlReferenceE2eTest} starts the real etcd instead. */
    String startServer(Path dir) {
        SpawnedEtcd etcd = SpawnedEtcd.start(dir);
        serving(etcd, etcd::killAndRestart);
        return etcd.endpoint();
    }

    void serving(AutoCloseable started, Runnable killAndRestart) {
        server = started;
        crash = killAndRestart;
    }

    @BeforeAll
    void start(@TempDir Path workDir) {
        etcdctl = new Etcdctl(startServer(workDir));
    }

    @AfterAll
    void stop() throws Exception {
        if (server != null) {
            server.close();
        }
    }

    private CommandResult ok(String... args) {
        CommandResult result = etcdctl.run(args);
        assertThat(result.exitCode()).as("etcdctl %s: %s", Arrays.toString(args), result.output()).isZero();
        return result;
    }

    private String grant(long ttl) {
        String out = ok("lease", "grant", Long.toString(ttl)).stdout().trim();
        Matcher m = GRANTED.matcher(out);
        assertThat(m.matches()).as(out).isTrue();
        return m.group(1);
    }

    private static String shape(String output, String id) {
        return output.trim().replace(id, "<id>");
    }

    @Test
    void grantPutTimeToLiveKeepAliveRevoke() {
        long grantedAt = System.nanoTime();
        String id = grant(60);
        ok("put", "--lease=" + id, "lk1", "v1");
        ok("put", "--lease=" + id, "lk2", "v2");

        String ttl = shape(ok("lease", "timetolive", id, "--keys").stdout(), id);
        // etcd lists the keys in Go map order, so either order is etcd's answer.
        assertThat(ttl).matches("lease <id> granted with TTL\\(60s\\), remaining\\(\\d+s\\), "
                + "attached keys\\(\\[(lk1 lk2|lk2 lk1)\\]\\)");
        String plain = shape(ok("lease", "timetolive", id).stdout(), id);
        assertThat(plain).matches("lease <id> granted with TTL\\(60s\\), remaining\\(\\d+s\\)");
        // Counted down by at most the time since the grant (whole seconds, truncated), never up.
        long elapsed = TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - grantedAt);
        for (String answer : List.of(ttl, plain)) {
            long remaining = Long.parseLong(answer.replaceAll(".*remaining\\((\\d+)s\\).*", "$1"));
            assertThat(remaining).as(answer).isBetween(60 - elapsed - 1, 60L);
        }
        assertThat(ok("lease", "list").stdout()).contains("\n" + id + "\n").startsWith("found ");
        assertThat(shape(ok("lease", "keep-alive", "--once", id).stdout(), id))
                .isEqualTo("lease <id> keepalived with TTL(60)");

        assertThat(shape(ok("lease", "revoke", id).stdout(), id)).isEqualTo("lease <id> revoked");
        assertThat(ok("get", "--prefix", "lk").stdout()).isEmpty();
        assertThat(shape(ok("lease", "timetolive", id).stdout(), id)).isEqualTo("lease <id> already expired");
        assertThat(ok("lease", "list").stdout()).doesNotContain(id);
    }

    @Test
    void revokeDeletesAllKeysOfTheLeaseInOneRevision() {
        String id = grant(60);
        ok("put", "--lease=" + id, "rk/a", "1");
        ok("put", "--lease=" + id, "rk/b", "2");
        ok("put", "rk/c", "3");
        long before = revision();
        ok("lease", "revoke", id);
        assertThat(revision()).isEqualTo(before + 1);
        assertThat(ok("get", "--prefix", "rk/", "--keys-only").stdout().trim()).isEqualTo("rk/c");
    }

    @Test
    void unknownLeasesGetEtcdsErrors() {
        String gone = "7fffffff00000001";
        CommandResult revoke = etcdctl.run("lease", "revoke", gone);
        assertThat(revoke.exitCode()).isEqualTo(1);
        assertThat(revoke.stderr()).contains("Error: failed to revoke lease (etcdserver: requested lease not found)");
        CommandResult put = etcdctl.run("put", "--lease=" + gone, "k", "v");
        assertThat(put.exitCode()).isEqualTo(1);
        assertThat(put.stderr()).contains("Error: etcdserver: requested lease not found");
        CommandResult keepAlive = etcdctl.run("lease", "keep-alive", "--once", gone);
        assertThat(keepAlive.exitCode()).isNotZero();
        assertThat(keepAlive.stderr()).contains("Error: etcdserver: requested lease not found");
        assertThat(shape(ok("lease", "timetolive", gone).stdout(), gone)).isEqualTo("lease <id> already expired");
        CommandResult tooLarge = etcdctl.run("lease", "grant", "9000000001");
        assertThat(tooLarge.exitCode()).isEqualTo(1);
        assertThat(tooLarge.stderr()).contains("Error: failed to grant lease (etcdserver: too large lease TTL)");
    }

    @Test
    void aShortTtlIsRaisedToTheMinimumAndExpiresWithItsKeys() throws InterruptedException {
        String id = grant(1);
        assertThat(shape(ok("lease", "timetolive", id).stdout(), id)).startsWith("lease <id> granted with TTL(2s)");
        ok("put", "--lease=" + id, "short", "v");
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(EXPIRY_WAIT_SECONDS);
        String ttl = "";
        while (System.nanoTime() < deadline) {
            ttl = shape(ok("lease", "timetolive", id).stdout(), id);
            if (ttl.equals("lease <id> already expired")) {
                break;
            }
            TimeUnit.MILLISECONDS.sleep(250);
        }
        assertThat(ttl).isEqualTo("lease <id> already expired");
        assertThat(ok("get", "short").stdout()).isEmpty();
    }

    @Test
    void leasesAndTheirKeysSurviveACrash() {
        String id = grant(600);
        ok("put", "--lease=" + id, "crash/k", "v");
        crash.run();
        assertThat(shape(ok("lease", "timetolive", id, "--keys").stdout(), id))
                .matches("lease <id> granted with TTL\\(600s\\), remaining\\(\\d+s\\), attached keys\\(\\[crash/k\\]\\)");
        ok("lease", "revoke", id);
        assertThat(ok("get", "crash/k").stdout()).isEmpty();
    }

    private long revision() {
        String json = ok("endpoint", "status", "-w", "json").stdout();
        Matcher m = Pattern.compile("\"revision\":(\\d+)").matcher(json);
        assertThat(m.find()).as(json).isTrue();
        return Long.parseLong(m.group(1));
    }
}
