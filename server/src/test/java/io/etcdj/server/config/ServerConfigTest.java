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
        assertThat(config("--name", "infra1").dataDir()).isEqualTo(Path.of("infra1.etcd"));
        assertThat(config("--name", "infra1", "--data-dir", "/d").dataDir()).isEqualTo(Path.of("/d"));
    }

    @Test
    void inconsistentValuesAreVerificationErrorsNamingTheFlag() {
        assertThatThrownBy(() -> config("--log-level=loud")).hasMessageContaining("log-level loud");
        assertThatThrownBy(() -> config("--logger=capnslog")).hasMessageContaining("unknown logger option capnslog");
        assertThatThrownBy(() -> config("--listen-client-urls=http://127.0.0.1")).hasMessageContaining("missing port");
        assertThatThrownBy(() -> config("--max-request-bytes=0")).hasMessageContaining("--max-request-bytes 0");
    }
}
