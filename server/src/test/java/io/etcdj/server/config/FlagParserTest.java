package io.etcdj.server.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

class FlagParserTest {

    private final FlagParser parser = new FlagParser(EtcdFlags.all());

    private ParsedFlags parse(Map<String, String> env, String... args) throws Exception {
        return parser.parse(args, env);
    }

    @Test
    void everyFlagHasItsDefaultWhenNothingIsGiven() throws Exception {
        ParsedFlags flags = parse(Map.of());

        assertThat(flags.string("name")).isEqualTo("default");
        assertThat(flags.string("listen-client-urls")).isEqualTo("http://localhost:2379");
        assertThat(flags.unsigned("max-request-bytes")).isEqualTo(1_572_864L);
        assertThat(flags.unsigned("snapshot-count")).isEqualTo(10_000L);
        assertThat(flags.duration("grpc-keepalive-interval")).isEqualTo(Duration.ofHours(2));
        assertThat(flags.isSet("name")).isFalse();
    }

    @Test
    void acceptsGoFlagForms() throws Exception {
        ParsedFlags flags = parse(Map.of(), "-name", "a", "--data-dir=/tmp/x", "--pre-vote=false", "--strict-reconfig-check");

        assertThat(flags.string("name")).isEqualTo("a");
        assertThat(flags.string("data-dir")).isEqualTo("/tmp/x");
        assertThat(flags.bool("pre-vote")).isFalse();
        assertThat(flags.bool("strict-reconfig-check")).isTrue();
    }

    @Test
    void flagsBeatTheEnvironmentAndUnknownEnvironmentIsOnlyAWarning() throws Exception {
        ParsedFlags flags = parse(Map.of("ETCD_NAME", "from-env", "ETCD_DATA_DIR", "/env", "ETCD_BOGUS", "1",
                "PATH", "/bin"), "--name", "from-flag");

        assertThat(flags.string("name")).isEqualTo("from-flag");
        assertThat(flags.string("data-dir")).isEqualTo("/env");
        assertThat(parser.warnings()).contains(
                "recognized environment variable ETCD_NAME, but unused: shadowed by corresponding flag",
                "unrecognized environment variable ETCD_BOGUS=1");
    }

    @Test
    void unknownFlagIsAUsageErrorNamingIt() {
        assertThatThrownBy(() -> parse(Map.of(), "--bogus"))
                .isInstanceOf(ConfigException.class)
                .hasMessage("flag provided but not defined: -bogus")
                .matches(e -> ((ConfigException) e).usageError());
    }

    @Test
    void badValuesAreRefusedWithGosMessage() {
        assertThatThrownBy(() -> parse(Map.of(), "--snapshot-count=abc"))
                .hasMessage("invalid value \"abc\" for flag -snapshot-count: parse error");
        assertThatThrownBy(() -> parse(Map.of(), "--snapshot-count=-1"))
                .hasMessage("invalid value \"-1\" for flag -snapshot-count: parse error");
        assertThatThrownBy(() -> parse(Map.of(), "--grpc-keepalive-min-time=5"))
                .hasMessage("invalid value \"5\" for flag -grpc-keepalive-min-time: time: invalid duration \"5\"");
        assertThatThrownBy(() -> parse(Map.of(), "--listen-client-urls=ftp://x:1"))
                .hasMessageContaining("URL scheme must be http, https, unix, or unixs");
        assertThatThrownBy(() -> parse(Map.of("ETCD_MAX_TXN_OPS", "many")))
                .hasMessage("invalid value \"many\" for ETCD_MAX_TXN_OPS: parse error");
    }

    @Test
    void missingValueAndPositionalArgumentsAreRefused() {
        assertThatThrownBy(() -> parse(Map.of(), "--name")).hasMessage("flag needs an argument: -name");
        assertThatThrownBy(() -> parse(Map.of(), "foo"))
                .hasMessage("'foo' is not a valid flag")
                .matches(e -> !((ConfigException) e).usageError());
    }

    @Test
    void helpIsRecognised() {
        assertThatThrownBy(() -> parse(Map.of(), "--help")).isInstanceOf(FlagParser.HelpRequested.class);
        assertThatThrownBy(() -> parse(Map.of(), "-h")).isInstanceOf(FlagParser.HelpRequested.class);
    }

    @Test
    void settingAFlagWithoutEffectWarns() throws Exception {
        parse(Map.of(), "--auto-compaction-retention=1h");

        assertThat(parser.warnings()).anyMatch(w -> w.contains("--auto-compaction-retention") && w.contains("no effect"));
    }

    @Test
    void durationsParseLikeGo() {
        assertThat(FlagType.GoDuration.parse("2h0m0s")).isEqualTo(Duration.ofHours(2));
        assertThat(FlagType.GoDuration.parse("1.5s")).isEqualTo(Duration.ofMillis(1500));
        assertThat(FlagType.GoDuration.parse("100ms")).isEqualTo(Duration.ofMillis(100));
        assertThat(FlagType.GoDuration.parse("0")).isEqualTo(Duration.ZERO);
        assertThat(FlagType.GoDuration.parse("5")).isNull();
        assertThat(FlagType.GoDuration.parse("5x")).isNull();
        assertThat(FlagType.GoDuration.parse("")).isNull();
    }
}
