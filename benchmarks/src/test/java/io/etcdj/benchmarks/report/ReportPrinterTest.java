package io.etcdj.benchmarks.report;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ReportPrinterTest {

    private static Stats oneToTen() {
        long[] l = new long[10];
        for (int i = 0; i < 10; i++) {
            l[i] = (i + 1) * 1_000_000L;
        }
        return Stats.of(l, 2_000_000_000L, Map.of("context deadline exceeded", 2L));
    }

    @Test
    void textFollowsEtcdLayout() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        ReportPrinter.printText(oneToTen(), false, new PrintStream(bytes, true, StandardCharsets.UTF_8));
        String text = bytes.toString(StandardCharsets.UTF_8);
        assertThat(text).startsWith("\nSummary:\n  Total:\t2.0000 secs.\n  Slowest:\t0.0100 secs.\n");
        assertThat(text).contains("  Requests/sec:\t5.0000\n");
        assertThat(text).contains("\nResponse time histogram:\n  0.0010 [1]\t|" + "∎".repeat(40) + "\n");
        assertThat(text).contains("  0.0019 [0]\t|\n");
        assertThat(text).contains("\nLatency distribution:\n  10% in 0.0020 secs.\n");
        assertThat(text).contains("  50% in 0.0060 secs.\n").contains("  99.9% in 0.0100 secs.\n");
        assertThat(text).contains("\nError distribution:\n  [2]\tcontext deadline exceeded\n");
    }

    @Test
    void barsScaleToTallestBucket() {
        assertThat(ReportPrinter.barLength(10, 10)).isEqualTo(40);
        assertThat(ReportPrinter.barLength(5, 10)).isEqualTo(20);
        assertThat(ReportPrinter.barLength(1, 80)).isEqualTo(1); // 0.5 rounds up
        assertThat(ReportPrinter.barLength(0, 0)).isZero();
    }

    @Test
    void jsonCarriesTheSameFigures() {
        String json = ReportPrinter.json("put \"x\"", oneToTen());
        assertThat(json).startsWith("{\"workload\":\"put \\\"x\\\"\",\"count\":10,");
        assertThat(json).contains("\"requests_per_sec\":5.000").contains("\"p50\":0.006000000")
                .contains("\"p99.9\":0.010000000").contains("\"errors\":{\"context deadline exceeded\":2}}");
    }

    @Test
    void phasedJsonPutsThePrimaryPhaseOnTopAndEveryPhaseByName() {
        Stats creation = Stats.of(new long[] {1_000_000L}, 1_000_000_000L, Map.of());
        java.util.LinkedHashMap<String, Stats> phases = new java.util.LinkedHashMap<>();
        phases.put("Watch creation summary", creation);
        phases.put("Watch events received summary", oneToTen());
        String last = ReportPrinter.json("watch", phases, null);
        assertThat(last).startsWith("{\"workload\":\"watch\",\"count\":10,");
        assertThat(last).contains(",\"phases\":{\"Watch creation summary\":{\"name\":\"Watch creation summary\","
                + "\"count\":1,").contains("\"Watch events received summary\":{\"name\":\"Watch events received summary\","
                + "\"count\":10,");
        String first = ReportPrinter.json("watch", phases, "Watch creation summary");
        assertThat(first).startsWith("{\"workload\":\"watch\",\"count\":1,");
        // One phase prints exactly what the single-report form prints.
        assertThat(ReportPrinter.json("put", Map.of("put", oneToTen()), null))
                .isEqualTo(ReportPrinter.json("put", oneToTen()));
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> ReportPrinter.json("w", phases, "nope"))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
