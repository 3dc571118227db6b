package io.etcdj.tests.framework;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** A start that lost its port to a race is retried on new ports; any other failure is not. */
class PortsTest {

    private static final String CLASH =
            "etcd exited with 1 before serving:\nlisten tcp 127.0.0.1:43900: bind: address already in use";

    @Test
    void aBindClashIsRetriedOnNewPorts() {
        List<Integer> clientPorts = new ArrayList<>();

        String started = Ports.startOnFreePorts((client, peer) -> {
            clientPorts.add(client);
            if (clientPorts.size() == 1) {
                throw new AssertionError(CLASH);
            }
            return "serving on " + client;
        });

        assertThat(clientPorts).hasSize(2);
        assertThat(started).isEqualTo("serving on " + clientPorts.get(1));
    }

    @Test
    void anyOtherStartFailureIsThrownAtOnce() {
        List<Integer> attempts = new ArrayList<>();

        assertThatThrownBy(() -> Ports.startOnFreePorts((client, peer) -> {
            attempts.add(client);
            throw new AssertionError("etcd exited with 1 before serving:\ncorrupt WAL");
        })).hasMessageContaining("corrupt WAL");
        assertThat(attempts).hasSize(1);
    }

    @Test
    void clashesStopAfterThreeAttempts() {
        List<Integer> attempts = new ArrayList<>();

        assertThatThrownBy(() -> Ports.startOnFreePorts((client, peer) -> {
            attempts.add(client);
            throw new AssertionError(CLASH);
        })).hasMessageContaining("address already in use");
        assertThat(attempts).hasSize(3);
    }
}
