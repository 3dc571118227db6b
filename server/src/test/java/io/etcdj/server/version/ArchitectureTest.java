package io.etcdj.server.version;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ArchitectureTest {

    @Test
    void javaArchitectureNamesBecomeGos() {
        assertThat(Architecture.goName("amd64")).isEqualTo("amd64");
        assertThat(Architecture.goName("x86_64")).isEqualTo("amd64");
        assertThat(Architecture.goName("aarch64")).isEqualTo("arm64");
        assertThat(Architecture.goName("i686")).isEqualTo("386");
        assertThat(Architecture.goName("riscv64")).isEqualTo("riscv64");
    }

    @Test
    void onlyEtcdsSupportedArchitecturesRunWithoutTheEnvironmentVariable() {
        assertThat(Architecture.permitted("amd64", null)).isTrue();
        assertThat(Architecture.permitted("arm64", null)).isTrue();
        assertThat(Architecture.permitted("riscv64", null)).isFalse();
        assertThat(Architecture.permitted("riscv64", "arm")).isFalse();
        assertThat(Architecture.permitted("riscv64", "riscv64")).isTrue();
    }

    @Test
    void versionsAreSemver() {
        assertThat(Version.API).matches("3\\.6\\.\\d+");
        assertThat(Version.clusterVersion()).isEqualTo("3.6.0");
        assertThat(Version.ETCDJ).matches("\\d+\\.\\d+\\.\\d+.*");
    }
}
