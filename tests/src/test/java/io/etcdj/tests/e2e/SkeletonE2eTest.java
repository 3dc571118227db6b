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
 * The server skeleton seen by etcd's own tools: the Go etcdctl reaches {@code bin/etcd} over
 * gRPC and gets etcd's {@code Unimplemented} (proof that service names, method paths and framing
 * match), {@code curl /version} answers etcd's JSON shape, and the command line behaves as etcd's.
 */
@Tag("e2e")
class SkeletonE2eTest {

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
    void goEtcdctlPutReachesTheServerAndGetsUnimplemented() {
        CommandResult put = new Etcdctl(etcd.endpoint()).run("put", "a", "b");

        assertThat(put.exitCode()).isNotZero();
        assertThat(put.stderr()).contains("code = Unimplemented").contains("etcdserverpb.KV/Put");
    }

    @Test
    void goEtcdctlSeesUnimplementedOnOtherServicesToo() {
        Etcdctl etcdctl = new Etcdctl(etcd.endpoint());

        assertThat(etcdctl.run("get", "a").stderr()).contains("code = Unimplemented").contains("KV/Range");
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
        CommandResult curl = Commands.run(List.of("curl", "-sS", "--max-time", "10", etcd.clientUrl() + "/metrics"),
                Map.of(), null, Duration.ofSeconds(20));

        assertThat(curl.stdout()).contains("etcd_server_has_leader ")
                .containsPattern("grpc_server_handled_total\\{grpc_code=\"Unimplemented\",grpc_method=\"Put\","
                        + "grpc_service=\"etcdserverpb.KV\",grpc_type=\"unary\"} [1-9]");
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
