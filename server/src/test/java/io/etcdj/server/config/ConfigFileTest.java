package io.etcdj.server.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConfigFileTest {

    @TempDir
    Path dir;

    private ServerConfig load(String yaml, List<String> warnings) throws Exception {
        Path file = dir.resolve("etcd.conf.yml");
        Files.writeString(file, yaml);
        return ServerConfig.from(ConfigFile.load(file, EtcdFlags.all(), warnings));
    }

    @Test
    void readsEtcdsYamlKeysWithTheirTypes() throws Exception {
        List<String> warnings = new ArrayList<>();
        ServerConfig config = load("""
                name: infra1
                data-dir: /var/lib/etcd
                snapshot-count: 5000
                heartbeat-interval: 50
                election-timeout: 500
                listen-client-urls: http://127.0.0.1:2379,http://127.0.0.1:22379
                advertise-client-urls: http://127.0.0.1:2379
                initial-advertise-peer-urls: http://127.0.0.1:2380
                initial-cluster: infra1=http://127.0.0.1:2380
                initial-cluster-token: tok
                initial-cluster-state: new
                quota-backend-bytes: 4294967296
                client-transport-security:
                  client-cert-auth: false
                  auto-tls: false
                """, warnings);

        assertThat(config.name()).isEqualTo("infra1");
        assertThat(config.dataDir()).isEqualTo(Path.of("/var/lib/etcd"));
        assertThat(config.snapshotCount()).isEqualTo(5000);
        assertThat(config.electionTicks()).isEqualTo(10);
        assertThat(config.listenClientUrls()).containsExactly(URI.create("http://127.0.0.1:2379"),
                URI.create("http://127.0.0.1:22379"));
        assertThat(config.initialClusterToken()).isEqualTo("tok");
        assertThat(config.quotaBackendBytes()).isEqualTo(4L << 30);
        assertThat(warnings).isEmpty();
    }

    @Test
    void unknownKeysAreWarningsAndBadValuesNameTheirKey() throws Exception {
        List<String> warnings = new ArrayList<>();
        load("name: default\nsnapshot-cuont: 5\n", warnings);
        assertThat(warnings).singleElement().asString().contains("unknown key \"snapshot-cuont\"");

        assertThatThrownBy(() -> load("snapshot-count: many\n", new ArrayList<>()))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("invalid value \"many\" for snapshot-count: parse error");
        assertThatThrownBy(() -> load("client-transport-security:\n  client-cert-auth: maybe\n", new ArrayList<>()))
                .hasMessageContaining("client-transport-security.client-cert-auth");
        assertThatThrownBy(() -> load("- a\n- b\n", new ArrayList<>())).hasMessageContaining("mapping");
        assertThatThrownBy(() -> ConfigFile.load(dir.resolve("missing.yml"), EtcdFlags.all(), new ArrayList<>()))
                .hasMessageContaining("no such file");
    }
}
