package io.etcdj.server.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ServerConfigTest {

    private static ServerConfig config(String... args) throws Exception {
        return ServerConfig.from(new FlagParser(EtcdFlags.all()).parse(args, Map.of()));
    }

    @Test
    void defaultsAreEtcds() throws Exception {
        ServerConfig config = config();

        assertThat(config.name()).isEqualTo("default");
        assertThat(config.dataDir()).isEqualTo(Path.of("default.etcd"));
        assertThat(config.listenClientUrls()).containsExactly(URI.create("http://localhost:2379"));
        assertThat(config.maxRequestBytes()).isEqualTo(1_572_864L);
        assertThat(config.logLevel()).isEqualTo("info");
    }

    @Test
    void maxConcurrentStreamsParsesAsEtcdsUint32AndIsAdvertisedAtMostAsASignedInt() throws Exception {
        assertThat(config().maxConcurrentStreams()).isEqualTo(4_294_967_295L);
        assertThat(config().advertisedMaxConcurrentStreams()).isEqualTo(Integer.MAX_VALUE);
        assertThat(config("--max-concurrent-streams=0").advertisedMaxConcurrentStreams()).isEqualTo(Integer.MAX_VALUE);
        assertThat(config("--max-concurrent-streams=5").advertisedMaxConcurrentStreams()).isEqualTo(5);
        assertThat(config("--max-concurrent-streams=2147483648").advertisedMaxConcurrentStreams())
                .isEqualTo(Integer.MAX_VALUE);
        // strconv.ParseUint(s, 0, 32): Go's base prefixes and underscores, as etcd 3.4.23 takes them.
        assertThat(config("--max-concurrent-streams=0x10").maxConcurrentStreams()).isEqualTo(16);
        assertThat(config("--max-concurrent-streams=010").maxConcurrentStreams()).isEqualTo(8);
        assertThat(config("--max-concurrent-streams=0o17").maxConcurrentStreams()).isEqualTo(15);
        assertThat(config("--max-concurrent-streams=0b101").maxConcurrentStreams()).isEqualTo(5);
        assertThat(config("--max-concurrent-streams=1_000").maxConcurrentStreams()).isEqualTo(1_000);

        // etcd 3.4.23's words for each of these.
        assertThatThrownBy(() -> config("--max-concurrent-streams=4294967296")).hasMessage(
                "invalid value \"4294967296\" for flag -max-concurrent-streams: strconv.ParseUint: parsing"
                        + " \"4294967296\": value out of range");
        assertThatThrownBy(() -> config("--max-concurrent-streams=-1")).hasMessage(
                "invalid value \"-1\" for flag -max-concurrent-streams: strconv.ParseUint: parsing \"-1\": invalid syntax");
        for (String bad : new String[] {"", "abc", "0x", "08", "1__0", "_1", "1_", "+5", "0_x1", "\uff11"}) {
            assertThatThrownBy(() -> config("--max-concurrent-streams=" + bad)).as(bad)
                    .hasMessageEndingWith("\"" + bad + "\": invalid syntax");
        }
        // strconv stops at the first overflow, before a bad character further on.
        for (String big : new String[] {"99999999999999999999", "4294967296x", "0x1_0000_0000"}) {
            assertThatThrownBy(() -> config("--max-concurrent-streams=" + big)).as(big)
                    .hasMessageEndingWith("\"" + big + "\": value out of range");
        }
        assertThat(config("--max-concurrent-streams=0").maxConcurrentStreams()).isZero();
        assertThat(config("--max-concurrent-streams=0_10").maxConcurrentStreams()).isEqualTo(8);
        assertThat(config("--max-concurrent-streams=0x1_0").maxConcurrentStreams()).isEqualTo(16);
    }

    @Test
    void dataDirFollowsTheName() throws Exception {
        String cluster = "--initial-cluster=infra1=http://localhost:2380";
        assertThat(config("--name", "infra1", cluster).dataDir()).isEqualTo(Path.of("infra1.etcd"));
        assertThat(config("--name", "infra1", cluster, "--data-dir", "/d").dataDir()).isEqualTo(Path.of("/d"));
    }

    @Test
    void inconsistentValuesAreVerificationErrorsNamingTheFlag() {
        assertThatThrownBy(() -> config("--log-level=loud")).hasMessageContaining("log-level loud");
        assertThatThrownBy(() -> config("--logger=capnslog")).hasMessageContaining("unknown logger option capnslog");
        assertThatThrownBy(() -> config("--listen-client-urls=http://127.0.0.1")).hasMessageContaining("missing port");
        assertThatThrownBy(() -> config("--max-request-bytes=0")).hasMessageContaining("--max-request-bytes 0");
    }

    @Test
    void clusteringAndRaftTimingFollowEtcdsRules() throws Exception {
        ServerConfig config = config();
        assertThat(config.initialCluster()).containsExactly(
                java.util.Map.entry("default", java.util.List.of("http://localhost:2380")));
        assertThat(config.electionTicks()).isEqualTo(10);
        assertThat(config.quotaBackendBytes()).isEqualTo(ServerConfig.DEFAULT_QUOTA_BYTES);
        assertThat(config.snapshotCount()).isEqualTo(10_000);
        assertThat(config.watchProgressNotifyInterval()).isEqualTo(java.time.Duration.ofMinutes(10));
        assertThat(config("--experimental-watch-progress-notify-interval=5s").watchProgressNotifyInterval())
                .isEqualTo(java.time.Duration.ofSeconds(5));
        assertThat(config("--watch-progress-notify-interval=2s", "--experimental-watch-progress-notify-interval=5s")
                .watchProgressNotifyInterval()).isEqualTo(java.time.Duration.ofSeconds(2));

        assertThatThrownBy(() -> config("--name", "infra1")).hasMessageContaining("couldn't find local name \"infra1\"");
        assertThatThrownBy(() -> config("--initial-advertise-peer-urls=http://127.0.0.1:2380"))
                .hasMessage("--initial-cluster has default=http://localhost:2380 but missing from"
                        + " --initial-advertise-peer-urls=http://127.0.0.1:2380");
        assertThatThrownBy(() -> config("--election-timeout=400"))
                .hasMessage("--election-timeout[400ms] should be at least as 5 times as --heartbeat-interval[100ms]");
        assertThatThrownBy(() -> config("--initial-cluster-state=old")).hasMessageContaining("\"new\" or \"existing\"");
        assertThatThrownBy(() -> config("--initial-cluster=default")).hasMessageContaining("invalid entry \"default\"");
    }
}
