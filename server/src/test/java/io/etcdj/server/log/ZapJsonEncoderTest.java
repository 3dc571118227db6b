package io.etcdj.server.log;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.LoggingEvent;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class ZapJsonEncoderTest {

    private final LoggerContext context = new LoggerContext();

    private String encode(Level level, String message, Object... keyValues) {
        LoggingEvent event = new LoggingEvent("fqcn", context.getLogger("io.etcdj.server.embed.Etcd"), level, message, null, null);
        event.setTimeStamp(1_700_000_000_123L);
        event.setCallerData(new StackTraceElement[] {
            new StackTraceElement("io.etcdj.server.embed.Etcd", "start", "Etcd.java", 42)});
        for (int i = 0; i < keyValues.length; i += 2) {
            event.addKeyValuePair(new org.slf4j.event.KeyValuePair((String) keyValues[i], keyValues[i + 1]));
        }
        return new String(new ZapJsonEncoder().encode(event), StandardCharsets.UTF_8);
    }

    @Test
    void writesZapsKeysInZapsOrder() {
        String line = encode(Level.INFO, "ready to serve client requests", "name", "default", "port", 2379);

        assertThat(line).isEqualTo("{\"level\":\"info\",\"ts\":\"2023-11-14T22:13:20.123000Z\","
                + "\"caller\":\"embed/Etcd.java:42\",\"msg\":\"ready to serve client requests\","
                + "\"name\":\"default\",\"port\":2379}\n");
    }

    @Test
    void escapesJsonAndMapsLevels() {
        assertThat(encode(Level.WARN, "a \"quoted\"\nline\u0001")).contains("\"level\":\"warn\"")
                .contains("\"msg\":\"a \\\"quoted\\\"\\nline\\u0001\"");
        assertThat(encode(Level.ERROR, "x")).contains("\"level\":\"error\"");
        assertThat(encode(Level.DEBUG, "x")).contains("\"level\":\"debug\"");
    }
}
