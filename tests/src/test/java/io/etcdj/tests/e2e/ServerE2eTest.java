package io.etcdj.tests.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.etcdj.tests.framework.CommandResult;
import io.etcdj.tests.framework.Commands;
import io.etcdj.tests.framework.Etcdctl;
import io.etcdj.tests.framework.Repo;
import io.etcdj.tests.framework.SpawnedEtcd;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The server seen by etcd's own tools: the Go etcdctl writes and reads through {@code bin/etcd},
 * services not built yet answer etcd's {@code Unimplemented} (proof that names, paths and framing
 * match), {@code curl /version} answers etcd's JSON shape, and the command line behaves as etcd's.
 * The full KV surface is covered by the Kv*E2eTest and differential tests.
 */
@Tag("e2e")
class ServerE2eTest {

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

    @Test
    void goEtcdctlPutsAndGetsWithEtcdsDefaultIds() {
        Etcdctl etcdctl = new Etcdctl(etcd.endpoint());

        assertThat(etcdctl.run("put", "a", "b").stdout()).isEqualTo("OK\n");
        assertThat(etcdctl.run("get", "a").stdout()).isEqualTo("a\nb\n");
        // The header carries the member and cluster ids etcd derives from the same flags.
        String json = etcdctl.run("get", "a", "-w", "json").stdout();
        long memberId = Long.parseUnsignedLong(json.replaceAll("(?s).*\"member_id\":(\\d+).*", "$1"));
        assertThat(json).contains("\"kvs\":[{\"key\":\"YQ==\"");
        assertThat(memberId).isEqualTo(io.etcdj.server.etcdserver.MemberIdentity.derive("e2e",
                java.util.Map.of("e2e", List.of("http://127.0.0.1:" + etcd.peerPort())), "etcd-cluster").memberId());
    }

    @Test
    void goEtcdctlSeesUnimplementedOnServicesNotBuiltYet() {
        Etcdctl etcdctl = new Etcdctl(etcd.endpoint());

        assertThat(etcdctl.run("lease", "grant", "10").stderr()).contains("code = Unimplemented").contains("Lease/LeaseGrant");
        assertThat(etcdctl.run("member", "list").stderr()).contains("code = Unimplemented").contains("Cluster/MemberList");
    }

    @Test
    void curlVersionAnswersEtcdsJsonShape() {
        CommandResult curl = Commands.run(List.of("curl", "-sS", "--max-time", "10", etcd.clientUrl() + "/version"),
                Map.of(), null, Duration.ofSeconds(20));

        assertThat(curl.exitCode()).isZero();
        assertThat(curl.stdout()).isEqualTo("{\"etcdserver\":\"3.6.0\",\"etcdcluster\":\"3.6.0\",\"storage\":\"3.6.0\"}");
    }

    @Test
    void metricsCountTheCallsEtcdctlMadeUnderGoGrpcPrometheusNames() {
        new Etcdctl(etcd.endpoint()).run("put", "metrics-probe", "v");
        new Etcdctl(etcd.endpoint()).run("lease", "grant", "10");
        CommandResult curl = Commands.run(List.of("curl", "-sS", "--max-time", "10", etcd.clientUrl() + "/metrics"),
                Map.of(), null, Duration.ofSeconds(20));

        assertThat(curl.stdout()).contains("etcd_server_has_leader ")
                .containsPattern("grpc_server_handled_total\\{grpc_code=\"OK\",grpc_method=\"Put\","
                        + "grpc_service=\"etcdserverpb.KV\",grpc_type=\"unary\"} [1-9]")
                .containsPattern("grpc_server_handled_total\\{grpc_code=\"Unimplemented\",grpc_method=\"LeaseGrant\","
                        + "grpc_service=\"etcdserverpb.Lease\",grpc_type=\"unary\"} [1-9]")
                .containsPattern("etcd_disk_wal_fsync_duration_seconds_count [1-9]");
    }

    @Test
    void logsAreZapStyleJsonLines() {
        String firstLine = etcd.log().lines().filter(l -> l.startsWith("{")).findFirst().orElseThrow();

        assertThat(firstLine).matches("\\{\"level\":\"info\",\"ts\":\"[0-9T:.\\-]+Z\",\"caller\":\"[a-z]+/\\w+\\.java:\\d+\",\"msg\":.*\\}");
    }

    @Test
    void versionFlagPrintsEtcdjAndApiVersion() {
        CommandResult version = Commands.run(List.of(Repo.bin("etcd").toString(), "--version"), Map.of(), null,
                Duration.ofSeconds(60));

        assertThat(version.exitCode()).isZero();
        assertThat(version.stdout()).containsPattern("(?m)^etcdj Version: \\d+\\.\\d+\\.\\d+")
                .contains("etcd API Version: 3.6.0");
    }

    @Test
    void unknownFlagStopsStartUpNamingItWithExitCode2() {
        CommandResult bad = Commands.run(List.of(Repo.bin("etcd").toString(), "--bogus-flag=1"), Map.of(), null,
                Duration.ofSeconds(60));

        assertThat(bad.exitCode()).isEqualTo(2);
        assertThat(bad.stderr()).contains("flag provided but not defined: -bogus-flag");
    }

    @Test
    void badValueStopsStartUpNamingTheFlag() {
        CommandResult bad = Commands.run(List.of(Repo.bin("etcd").toString(), "--max-request-bytes=abc"), Map.of(), null,
                Duration.ofSeconds(60));

        assertThat(bad.exitCode()).isEqualTo(2);
        assertThat(bad.stderr()).contains("invalid value \"abc\" for flag -max-request-bytes: parse error");
    }

    @Test
    void unsupportedArchitectureRefusesToStartUnlessNamedByEtcdUnsupportedArch() {
        Map<String, String> riscv = Map.of("ETCDJ_JAVA_OPTS", "-Detcdj.arch=riscv64");
        CommandResult refused = Commands.run(List.of(Repo.bin("etcd").toString(), "--listen-client-urls=http://127.0.0.1:0"),
                riscv, null, Duration.ofSeconds(60));

        assertThat(refused.exitCode()).isEqualTo(1);
        assertThat(refused.output()).contains("Refusing to run etcd on unsupported architecture")
                .contains("\"arch\":\"riscv64\"");

        Map<String, String> permitted = Map.of("ETCDJ_JAVA_OPTS", "-Detcdj.arch=riscv64", "ETCD_UNSUPPORTED_ARCH", "riscv64");
        CommandResult help = Commands.run(List.of(Repo.bin("etcd").toString(), "--help"), permitted, null,
                Duration.ofSeconds(60));
        assertThat(help.exitCode()).isZero();
        assertThat(help.output()).contains("running etcd on unsupported architecture since ETCD_UNSUPPORTED_ARCH is set");
    }
}
