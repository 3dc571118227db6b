package io.etcdj.benchmarks.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.etcdj.client.Endpoints;
import java.util.List;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

class CommandLineTest {

    private static CommandLine.ParseResult parse(String... args) {
        return new CommandLine(new BenchmarkCommand()).parseArgs(args);
    }

    private static <T> T command(CommandLine.ParseResult r) {
        return r.subcommand().commandSpec().commandLine().getCommand();
    }

    @Test
    void watchDefaultsAreEtcds() {
        WatchCommand w = command(parse("watch"));
        assertThat(List.of(w.streams, w.watchPerStream, w.watchedKeyTotal, w.keySize, w.keySpaceSize))
                .containsExactly(10, 100, 1, 32, 1);
        assertThat(w.putTotal).isEqualTo(1000);
        assertThat(w.putRate).isZero();
        assertThat(w.sequentialKeys).isFalse();
        assertThat(w.holdSecs).isZero();
    }

    @Test
    void watchLatencyDefaultsAreEtcds() {
        WatchLatencyCommand w = command(parse("watch-latency"));
        assertThat(List.of(w.streams, w.watchersPerStream, w.putTotal, w.keySize, w.valSize))
                .containsExactly(10, 10, 1000, 32, 32);
        assertThat(w.putRate).isEqualTo(100);
        assertThat(w.prevKv).isFalse();
    }

    @Test
    void leaseKeepaliveDefaultIsEtcdsAndFlagsParse() {
        LeaseKeepaliveCommand k = command(parse("lease-keepalive"));
        assertThat(k.total).isEqualTo(10_000);
        LeaseKeepaliveCommand k2 = command(parse("--clients", "16", "lease-keepalive", "--total", "7"));
        assertThat(k2.total).isEqualTo(7);
        assertThat(k2.root.clients).isEqualTo(16);
    }

    @Test
    void globalSecurityFlagsParseBeforeOrAfterTheCommand() {
        WatchCommand w = command(parse("--cacert", "ca.pem", "watch", "--user", "root:pw", "--streams", "3",
                "--cert", "c.pem", "--key", "k.pem", "--sequential-keys"));
        assertThat(w.root.caCert).isEqualTo("ca.pem");
        assertThat(w.root.user).isEqualTo("root:pw");
        assertThat(w.root.cert).isEqualTo("c.pem");
        assertThat(w.root.key).isEqualTo("k.pem");
        assertThat(w.streams).isEqualTo(3);
        assertThat(w.sequentialKeys).isTrue();
        assertThatThrownBy(() -> parse("watch", "--no-such-flag")).isInstanceOf(CommandLine.UnmatchedArgumentException.class);
    }

    @Test
    void userIsNameColonPasswordAndThePasswordMayHoldColons() {
        assertThat(Dial.User.parse("root:pa:ss")).isEqualTo(new Dial.User("root", "pa:ss"));
        assertThat(Dial.User.parse("root:")).isEqualTo(new Dial.User("root", ""));
        assertThatThrownBy(() -> Dial.User.parse("root")).hasMessageContaining("name:password");
        assertThatThrownBy(() -> Dial.User.parse(":pw")).hasMessageContaining("name:password");
    }

    @Test
    void tlsIsChosenByHttpsOrAnyCertificateFlag() {
        Dial.Settings plain = Dial.Settings.of("http://127.0.0.1:2379,10.0.0.1:2380", null, null, null, null);
        assertThat(plain.tls()).isFalse();
        assertThat(plain.endpoints()).containsExactly(new Endpoints.Endpoint("127.0.0.1", 2379),
                new Endpoints.Endpoint("10.0.0.1", 2380));
        assertThat(plain.user()).isNull();
        Dial.Settings https = Dial.Settings.of("https://127.0.0.1:2379", null, null, null, "u:p");
        assertThat(https.tls()).isTrue();
        assertThat(https.endpoints()).containsExactly(new Endpoints.Endpoint("127.0.0.1", 2379));
        assertThat(https.user()).isEqualTo(new Dial.User("u", "p"));
        assertThat(Dial.Settings.of("127.0.0.1:2379", "ca.pem", null, null, null).tls()).isTrue();
        assertThatThrownBy(() -> Dial.Settings.of("127.0.0.1:2379", null, "c.pem", null, null))
                .hasMessageContaining("--cert and --key must be given together");
        assertThatThrownBy(() -> Dial.Settings.of("127.0.0.1:2379", "/no/such/ca.pem", null, null, null)
                .credentials()).hasMessageContaining("--cacert: cannot read /no/such/ca.pem");
    }
}
