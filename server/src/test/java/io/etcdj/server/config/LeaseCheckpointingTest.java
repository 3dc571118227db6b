package io.etcdj.server.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** etcd's lease checkpoint flags and feature gates; etcdj's default is ON (a deliberate difference). */
class LeaseCheckpointingTest {

    private static LeaseCheckpointing checkpointing(String... args) throws Exception {
        return ServerConfig.from(new FlagParser(EtcdFlags.all()).parse(args, Map.of())).leaseCheckpointing();
    }

    @Test
    void onByDefaultEveryFiveMinutes() throws Exception {
        assertThat(checkpointing()).isEqualTo(new LeaseCheckpointing(true, Duration.ofMinutes(5)));
    }

    @Test
    void theExperimentalFlagsAndTheGatesTurnItOff() throws Exception {
        assertThat(checkpointing("--experimental-enable-lease-checkpoint=false",
                "--experimental-enable-lease-checkpoint-persist=false").enabled()).isFalse();
        assertThat(checkpointing("--feature-gates=LeaseCheckpoint=false,LeaseCheckpointPersist=false").enabled()).isFalse();
        assertThat(checkpointing("--feature-gates", "LeaseCheckpoint=true, InitialCorruptCheck=false").enabled()).isTrue();
    }

    @Test
    void theIntervalFlagIsAGoDurationAndZeroMeansTheDefault() throws Exception {
        assertThat(checkpointing("--experimental-lease-checkpoint-interval=2s").interval()).isEqualTo(Duration.ofSeconds(2));
        assertThat(checkpointing("--experimental-lease-checkpoint-interval=1m30s").interval()).isEqualTo(Duration.ofSeconds(90));
        assertThat(checkpointing("--experimental-lease-checkpoint-interval=0s").interval()).isEqualTo(Duration.ofMinutes(5));
        assertThatThrownBy(() -> checkpointing("--experimental-lease-checkpoint-interval=-1s"))
                .hasMessageContaining("invalid duration");
    }

    @Test
    void badCombinationsAndUnknownGatesAreRefused() {
        assertThatThrownBy(() -> checkpointing("--experimental-enable-lease-checkpoint=false"))
                .hasMessage("enabling feature gate LeaseCheckpointPersist requires enabling feature gate LeaseCheckpoint");
        assertThatThrownBy(() -> checkpointing("--experimental-enable-lease-checkpoint=true", "--feature-gates=LeaseCheckpoint=true"))
                .hasMessage("cannot specify both --experimental-enable-lease-checkpoint and --feature-gates=LeaseCheckpoint");
        assertThatThrownBy(() -> checkpointing("--feature-gates=LeaseCheckpoints=true"))
                .hasMessageContaining("unrecognized feature gate: LeaseCheckpoints");
        assertThatThrownBy(() -> checkpointing("--feature-gates=LeaseCheckpoint")).hasMessageContaining("missing bool value");
        assertThatThrownBy(() -> checkpointing("--feature-gates=LeaseCheckpoint=maybe")).hasMessageContaining("invalid value");
    }
}
