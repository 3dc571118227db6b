package io.etcdj.tests.e2e;

import static io.etcdj.tests.e2e.BenchmarkE2eTest.benchmark;
import static io.etcdj.tests.e2e.BenchmarkE2eTest.number;
import static org.assertj.core.api.Assertions.assertThat;

import io.etcdj.tests.framework.CommandResult;
import io.etcdj.tests.framework.Commands;
import io.etcdj.tests.framework.Etcdctl;
import io.etcdj.tests.framework.Ports;
import io.etcdj.tests.framework.ReferenceEtcd;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code bin/benchmark}'s TLS and auth flags against the real etcd 3.4.23 (etcdj serves neither
 * yet): a throwaway CA and certificates made with openssl, etcd requiring client certificates on an
 * https listener; then etcd with auth enabled and {@code --user}. Each positive run has its
 * negative twin (no client certificate, no or wrong user) that must fail.
 */
@Tag("e2e")
class BenchmarkReferenceE2eTest {

    /** grpc-okhttp reads etcd 3.4's default 2^32-1 as -1 and opens no stream (docs/benchmarks.md). */
    static final String[] STREAMS = {"--max-concurrent-streams", "2147483647"};
    static final Duration OPENSSL_TIMEOUT = Duration.ofSeconds(60);

    @TempDir
    Path dir;

    @Test
    void tlsWithClientCertificatesWorksAndPlaintextDoesNot() throws Exception {
        Path ca = dir.resolve("ca.crt");
        Path caKey = dir.resolve("ca.key");
        openssl("req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", caKey.toString(), "-out", ca.toString(),
                "-days", "1", "-subj", "/CN=benchmark-test-ca");
        Path ext = dir.resolve("ext.cnf");
        Files.writeString(ext, "subjectAltName=IP:127.0.0.1\nextendedKeyUsage=serverAuth,clientAuth\n");
        Path serverCert = sign("server", ca, caKey, ext);
        Path clientCert = sign("client", ca, caKey, ext);
        int tlsPort = Ports.free();
        String tlsUrl = "https://127.0.0.1:" + tlsPort;
        try (ReferenceEtcd etcd = ReferenceEtcd.startWithClientUrl(dir.resolve("tls"), 10_000, tlsUrl, STREAMS[0], STREAMS[1],
                "--cert-file", serverCert.toString(), "--key-file", dir.resolve("server.key").toString(),
                "--client-cert-auth", "--trusted-ca-file", ca.toString())) {
            CommandResult ok = benchmark(tlsUrl, "--cacert", ca.toString(), "--cert", clientCert.toString(),
                    "--key", dir.resolve("client.key").toString(), "put", "--total", "30");
            assertThat(ok.exitCode()).as(ok.output()).isZero();
            assertThat(number(ok.stdout(), "count")).isEqualTo(30);
            CommandResult noClientCert = benchmark(tlsUrl, "--cacert", ca.toString(), "--dial-timeout", "3", "put",
                    "--total", "1");
            assertThat(noClientCert.exitCode()).isNotZero();
            CommandResult plain = benchmark("127.0.0.1:" + tlsPort, "--dial-timeout", "3", "put", "--total", "1");
            assertThat(plain.exitCode()).isNotZero();
            assertThat(etcd.pid()).isPositive();
        }
    }

    @Test
    void userFlagAuthenticatesAndItsAbsenceIsRefused() {
        try (ReferenceEtcd etcd = ReferenceEtcd.start(dir.resolve("auth"), 10_000, STREAMS)) {
            Etcdctl ctl = new Etcdctl(etcd.endpoint());
            assertThat(ctl.run("user", "add", "root:rootpw").exitCode()).isZero();
            assertThat(ctl.run("auth", "enable").exitCode()).isZero();
            CommandResult ok = benchmark(etcd.endpoint(), "--user", "root:rootpw", "--clients", "2", "put",
                    "--total", "20");
            assertThat(ok.exitCode()).as(ok.output()).isZero();
            assertThat(ok.stdout()).contains("\"errors\":{}");
            assertThat(number(ok.stdout(), "count")).isEqualTo(20);
            CommandResult watch = benchmark(etcd.endpoint(), "--user", "root:rootpw", "watch", "--streams", "1",
                    "--watch-per-stream", "2", "--put-total", "5");
            assertThat(watch.exitCode()).as(watch.output()).isZero();
            assertThat(number(watch.stdout(), "count")).isEqualTo(10);
            CommandResult anonymous = benchmark(etcd.endpoint(), "put", "--total", "5");
            assertThat(anonymous.stdout()).contains("\"count\":0,").contains("user name is empty");
            CommandResult wrong = benchmark(etcd.endpoint(), "--user", "root:nope", "put", "--total", "5");
            assertThat(wrong.exitCode()).isNotZero();
            assertThat(wrong.stderr()).contains("authentication failed, invalid user ID or password");
        }
    }

    private Path sign(String name, Path ca, Path caKey, Path ext) {
        Path key = dir.resolve(name + ".key");
        Path csr = dir.resolve(name + ".csr");
        Path cert = dir.resolve(name + ".crt");
        openssl("req", "-newkey", "rsa:2048", "-nodes", "-keyout", key.toString(), "-out", csr.toString(),
                "-subj", "/CN=" + name);
        openssl("x509", "-req", "-in", csr.toString(), "-CA", ca.toString(), "-CAkey", caKey.toString(),
                "-CAcreateserial", "-out", cert.toString(), "-days", "1", "-extfile", ext.toString());
        return cert;
    }

    private static void openssl(String... args) {
        CommandResult r = Commands.run(
                java.util.stream.Stream.concat(java.util.stream.Stream.of("openssl"), java.util.stream.Stream.of(args))
                        .toList(), Map.of(), null, OPENSSL_TIMEOUT);
        assertThat(r.exitCode()).as("openssl %s: %s", List.of(args), r.output()).isZero();
    }
}
