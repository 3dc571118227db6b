package io.etcdj.tests.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.etcdj.tests.framework.CommandResult;
import io.etcdj.tests.framework.Commands;
import io.etcdj.tests.framework.Etcdctl;
import io.etcdj.tests.framework.SpawnedEtcd;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The backend quota as etcd users meet it, through the Go etcdctl: a write over the quota raises
 * NOSPACE and is refused; reads and deletes go on; /health reports the alarm; the alarm survives a
 * restart; compaction + defragmentation + {@code alarm disarm} recover the member.
 */
@Tag("e2e")
class QuotaE2eTest {

    private static final String NOSPACE = "etcdserver: mvcc: database space exceeded";

    @TempDir
    Path workDir;

    @Test
    void overQuotaWritesRaiseNospaceAndCompactDefragDisarmRecovers() {
        String value = "x".repeat(60_000);
        try (SpawnedEtcd etcd = SpawnedEtcd.start(workDir, "--quota-backend-bytes=2097152")) {
            Etcdctl etcdctl = new Etcdctl(etcd.endpoint());
            int refusedAt = 0;
            for (int i = 1; i <= 100 && refusedAt == 0; i++) {
                CommandResult put = etcdctl.run("put", "k" + (i % 4), value);
                if (put.exitCode() != 0) {
                    assertThat(put.stderr()).contains(NOSPACE);
                    refusedAt = i;
                }
            }
            assertThat(refusedAt).as("a 2 MiB quota refuses some write of 60 KB values").isBetween(2, 100);
            String memberId = memberId(etcdctl);
            assertThat(etcdctl.run("alarm", "list").stdout()).isEqualTo("memberID:" + memberId + " alarm:NOSPACE \n");
            assertThat(etcdctl.run("get", "k1", "--print-value-only").stdout()).startsWith("xxxx");
            assertThat(etcdctl.run("del", "k0").stdout()).isEqualTo("1\n");
            assertThat(curl(etcd, "/health")).isEqualTo("{\"health\":\"false\",\"reason\":\"ALARM NOSPACE\"}");
            assertThat(curl(etcd, "/health?exclude=NOSPACE")).isEqualTo("{\"health\":\"true\",\"reason\":\"\"}");

            String revision = revision(etcdctl);
            assertThat(etcdctl.run("compaction", "--physical", revision).exitCode()).isZero();
            assertThat(etcdctl.run("defrag").exitCode()).isZero();
            assertThat(etcdctl.run("alarm", "disarm").exitCode()).isZero();

            assertThat(etcdctl.run("alarm", "list").stdout()).isEmpty();
            assertThat(etcdctl.run("put", "after-recovery", "ok").stdout()).isEqualTo("OK\n");
        }
    }

    @Test
    void theAlarmSurvivesARestartUntilDisarmed() {
        try (SpawnedEtcd etcd = SpawnedEtcd.start(workDir, "--quota-backend-bytes=1")) {
            assertThat(new Etcdctl(etcd.endpoint()).run("put", "a", "b").stderr()).contains(NOSPACE);
            // Like etcd, the server shuts down gracefully on SIGTERM and then ends by the signal.
            assertThat(etcd.stop()).isEqualTo(128 + 15);
        }
        try (SpawnedEtcd etcd = SpawnedEtcd.start(workDir)) {
            Etcdctl etcdctl = new Etcdctl(etcd.endpoint());
            assertThat(etcdctl.run("alarm", "list").stdout()).contains("alarm:NOSPACE");
            assertThat(etcdctl.run("put", "a", "b").stderr()).contains(NOSPACE);

            etcdctl.run("alarm", "disarm");

            assertThat(etcdctl.run("put", "a", "b").stdout()).isEqualTo("OK\n");
        }
    }

    private static String memberId(Etcdctl etcdctl) {
        return field(etcdctl.run("endpoint", "status", "-w", "json").stdout(), "member_id");
    }

    private static String revision(Etcdctl etcdctl) {
        return field(etcdctl.run("endpoint", "status", "-w", "json").stdout(), "revision");
    }

    private static String field(String json, String name) {
        Matcher m = Pattern.compile("\"" + name + "\":(\\d+)").matcher(json);
        assertThat(m.find()).as(name + " in " + json).isTrue();
        return m.group(1);
    }

    private static String curl(SpawnedEtcd etcd, String path) {
        return Commands.run(List.of("curl", "-sS", "--max-time", "10", etcd.clientUrl() + path), Map.of(), null,
                Duration.ofSeconds(20)).stdout();
    }
}
