package io.etcdj.tests.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.etcdj.tests.framework.CommandResult;
import io.etcdj.tests.framework.Commands;
import io.etcdj.tests.framework.Etcdctl;
import io.etcdj.tests.framework.Repo;
import io.etcdj.tests.framework.SpawnedEtcd;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * One small run of each watch and lease command of {@code bin/benchmark} against {@code bin/etcd}:
 * every request or event it promises is counted in its report and none failed, and what it wrote
 * is visible to the Go etcdctl. Small totals: this checks the commands work, it measures nothing.
 */
@Tag("e2e")
class BenchmarkE2eTest {

    static final Duration RUN_TIMEOUT = Duration.ofSeconds(120);

    @TempDir
    static Path workDir;

    private static SpawnedEtcd etcd;

    @BeforeAll
    static void start() {
        etcd = SpawnedEtcd.start(workDir);
    }

    @AfterAll
    static void stop() {
        if (etcd != null) {
            etcd.close();
        }
    }

    static CommandResult benchmark(String endpoint, String... args) {
        List<String> command = new ArrayList<>(List.of(Repo.bin("benchmark").toString(), "--endpoints", endpoint,
                "--json"));
        command.addAll(List.of(args));
        return Commands.run(command, Map.of("ETCDJ_NO_BUILD", "1"), null, RUN_TIMEOUT);
    }

    /** The first {@code "name":number} in {@code json} (the top-level field: it comes before the phases). */
    static long number(String json, String name) {
        Matcher m = Pattern.compile("\"" + Pattern.quote(name) + "\":([0-9.]+)").matcher(json);
        assertThat(m.find()).as("%s in %s", name, json).isTrue();
        return (long) Double.parseDouble(m.group(1));
    }

    @Test
    void watchDeliversEveryEventToEveryWatcher() {
        // 3 streams x 4 watchers over 2 keys, 10 puts alternating between them: 6 watchers see 5 puts each.
        CommandResult r = benchmark(etcd.endpoint(), "--clients", "2", "--conns", "2", "watch", "--streams", "3",
                "--watch-per-stream", "4", "--watched-key-total", "2", "--key-space-size", "2", "--sequential-keys",
                "--put-total", "10");
        assertThat(r.exitCode()).as(r.output()).isZero();
        assertThat(r.stdout()).doesNotContain("\"errors\":{\"");
        assertThat(number(r.stdout(), "count")).isEqualTo(2 * 6 * 5);
        assertThat(r.stdout()).contains("\"Watch creation summary\":{\"name\":\"Watch creation summary\",\"count\":12,");
    }

    @Test
    void watchLatencyMatchesEachEventToItsPut() {
        CommandResult r = benchmark(etcd.endpoint(), "watch-latency", "--streams", "2", "--watchers-per-stream", "3",
                "--put-total", "20", "--put-rate", "200");
        assertThat(r.exitCode()).as(r.output()).isZero();
        assertThat(r.stdout()).doesNotContain("\"errors\":{\"");
        assertThat(number(r.stdout(), "count")).isEqualTo(6 * 20);
        assertThat(r.stdout()).contains("\"Put summary\":{\"name\":\"Put summary\",\"count\":20,");
    }

    @Test
    void leaseKeepaliveRenewsTheLeasesOfEveryClient() {
        CommandResult r = benchmark(etcd.endpoint(), "--clients", "3", "lease-keepalive", "--total", "60");
        assertThat(r.exitCode()).as(r.output()).isZero();
        assertThat(r.stdout()).contains("\"errors\":{}");
        assertThat(number(r.stdout(), "count")).isEqualTo(60);
        // etcdctl sees the three leases the clients granted (and whatever other tests left).
        CommandResult leases = new Etcdctl(etcd.endpoint()).run("lease", "list");
        assertThat(leases.stdout()).containsPattern("found [3-9][0-9]* leases|found [1-9][0-9]+ leases");
    }

    @Test
    void leaseGrantAttachesOneKeyPerLease() {
        CommandResult r = benchmark(etcd.endpoint(), "--clients", "4", "lease-grant", "--total", "25", "--ttl", "600",
                "--key-prefix", "bench-lease/");
        assertThat(r.exitCode()).as(r.output()).isZero();
        assertThat(r.stdout()).contains("\"errors\":{}");
        assertThat(number(r.stdout(), "count")).isEqualTo(25);
        // etcdctl 3.4 has no --count-only; with --limit 1 the json still carries the full count.
        CommandResult keys = new Etcdctl(etcd.endpoint()).run("get", "bench-lease/", "--prefix", "--keys-only",
                "--limit", "1", "-w", "json");
        assertThat(keys.stdout()).contains("\"count\":25");
    }

    @Test
    void badFlagsAreRefusedBeforeAnyLoad() {
        CommandResult r = benchmark(etcd.endpoint(), "--user", "nocolon", "put", "--total", "1");
        assertThat(r.exitCode()).isNotZero();
        assertThat(r.stderr()).contains("--user must be name:password");
        CommandResult k = benchmark(etcd.endpoint(), "--cert", "/nonexistent", "put", "--total", "1");
        assertThat(k.exitCode()).isNotZero();
        assertThat(k.stderr()).contains("--cert and --key must be given together");
    }
}
