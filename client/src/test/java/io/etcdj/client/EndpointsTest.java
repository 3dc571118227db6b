package io.etcdj.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class EndpointsTest {

    @Test
    void parsesBareAndHttpEndpoints() {
        assertThat(Endpoints.parse("127.0.0.1:2379, http://localhost:22379/,[::1]:3"))
                .containsExactly(new Endpoints.Endpoint("127.0.0.1", 2379),
                        new Endpoints.Endpoint("localhost", 22379),
                        new Endpoints.Endpoint("::1", 3));
    }

    @Test
    void refusesMalformedEntries() {
        assertThatThrownBy(() -> Endpoints.parse("")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Endpoints.parse("localhost")).hasMessageContaining("host:port");
        assertThatThrownBy(() -> Endpoints.parse("a:1,b:x")).hasMessageContaining("'b:x'");
        assertThatThrownBy(() -> Endpoints.parse("a:70000")).hasMessageContaining("out of range");
        assertThatThrownBy(() -> Endpoints.parse("https://a:1")).hasMessageContaining("TLS");
    }

    @Test
    void spreadsConnectionsRoundRobinAndClientsOverConnections() {
        var endpoints = Endpoints.parse("a:1,b:2,c:3");
        try (ChannelPool pool = ChannelPool.open(endpoints, 4)) {
            assertThat(pool.size()).isEqualTo(4);
            // conn 0→a, 1→b, 2→c, 3→a; client 5 uses conn 1 (b), client 7 uses conn 3 (a).
            assertThat(pool.endpointForClient(0).host()).isEqualTo("a");
            assertThat(pool.endpointForClient(1).host()).isEqualTo("b");
            assertThat(pool.endpointForClient(2).host()).isEqualTo("c");
            assertThat(pool.endpointForClient(3).host()).isEqualTo("a");
            assertThat(pool.endpointForClient(5).host()).isEqualTo("b");
            assertThat(pool.forClient(7)).isSameAs(pool.forClient(3));
        }
    }

    @Test
    void refusesConnsOutOfRange() {
        var endpoints = Endpoints.parse("a:1");
        assertThatThrownBy(() -> ChannelPool.open(endpoints, 0)).hasMessageContaining("conns");
    }
}
