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
