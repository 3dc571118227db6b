package io.etcdj.benchmarks.report;

import java.io.PrintStream;
import java.util.Locale;
import java.util.Map;

/**
 * Writes {@link Stats} as etcd's {@code tools/benchmark} does (so people and scripts used to its
 * output read ours unchanged), or as one JSON line. {@code precise} switches the seconds from 4 to
 * 8 decimals, like etcd's {@code --precise}.
 */
public final class ReportPrinter {

    /** etcd draws the tallest histogram bar this many characters wide. */
    static final int BAR_WIDTH = 40;

    private ReportPrinter() {
    }

    public static void printText(Stats s, boolean precise, PrintStream out) {
        String f = precise ? "%4.8f" : "%4.4f";
        StringBuilder b = new StringBuilder();
        b.append("\nSummary:\n");
        b.append(fmt("  Total:\t" + f + " secs.\n", s.totalSecs()));
        b.append(fmt("  Slowest:\t" + f + " secs.\n", s.slowestSecs()));
        b.append(fmt("  Fastest:\t" + f + " secs.\n", s.fastestSecs()));
        b.append(fmt("  Average:\t" + f + " secs.\n", s.averageSecs()));
        b.append(fmt("  Stddev:\t" + f + " secs.\n", s.stddevSecs()));
        b.append(fmt("  Requests/sec:\t%4.4f\n", s.requestsPerSec()));
        if (s.count() > 0) {
            b.append("\nResponse time histogram:\n");
            appendHistogram(b, s, f);
            b.append("\nLatency distribution:\n");
            for (int i = 0; i < Stats.PERCENTILES.length; i++) {
                b.append("  ").append(percentLabel(Stats.PERCENTILES[i]))
                        .append(fmt("%% in " + f + " secs.\n", s.percentileSecs()[i]));
            }
        }
        if (!s.errors().isEmpty()) {
            b.append("\nError distribution:\n");
            for (Map.Entry<String, Long> e : s.errors().entrySet()) {
                b.append("  [").append(e.getValue()).append("]\t").append(e.getKey()).append('\n');
            }
        }
        out.print(b);
        out.flush();
    }

    static void appendHistogram(StringBuilder b, Stats s, String f) {
        long max = 0;
        for (long c : s.histogramCounts()) {
            max = Math.max(max, c);
        }
        for (int i = 0; i < s.histogramCounts().length; i++) {
            long c = s.histogramCounts()[i];
            b.append(fmt("  " + f + " [%d]\t|", s.histogramMarksSecs()[i], c));
            b.append("∎".repeat(barLength(c, max))).append('\n');
        }
    }

    /** Bar length scaled so the tallest bucket is {@link #BAR_WIDTH}, rounded to nearest. */
    static int barLength(long count, long max) {
        return max == 0 ? 0 : (int) ((count * BAR_WIDTH + max / 2) / max);
    }

    /** "99.9" stays "99.9" but "50.0" prints as "50", as etcd prints them. */
    static String percentLabel(double p) {
        return p == Math.rint(p) ? Long.toString((long) p) : Double.toString(p);
    }

    /** One JSON object with the same figures, seconds as numbers. */
    public static String json(String workload, Stats s) {
        StringBuilder b = new StringBuilder(512);
        b.append("{\"workload\":\"").append(escape(workload)).append('"');
        appendFields(b, s);
        return b.append('}').toString();
    }

    /**
     * A command with several phases (e.g. watch: creation, then events): the {@code primary}
     * phase's figures at the top level, as {@link #json(String, Stats)} prints them, and every phase
     * under {@code "phases"} by name, in order. {@code primary} null means the last phase.
     */
    public static String json(String workload, Map<String, Stats> phases, String primary) {
        if (phases.isEmpty()) {
            throw new IllegalArgumentException("no phases");
        }
        Stats top = null;
        for (Map.Entry<String, Stats> e : phases.entrySet()) {
            if (primary == null || e.getKey().equals(primary)) {
                top = e.getValue();
            }
        }
        if (top == null) {
            throw new IllegalArgumentException("no phase named " + primary);
        }
        StringBuilder b = new StringBuilder(1024);
        b.append("{\"workload\":\"").append(escape(workload)).append('"');
        appendFields(b, top);
        if (phases.size() > 1) {
            b.append(",\"phases\":{");
            boolean first = true;
            for (Map.Entry<String, Stats> e : phases.entrySet()) {
                b.append(first ? "" : ",").append('"').append(escape(e.getKey())).append("\":{\"name\":\"")
                        .append(escape(e.getKey())).append('"');
                appendFields(b, e.getValue());
                b.append('}');
                first = false;
            }
            b.append('}');
        }
        return b.append('}').toString();
    }

    private static void appendFields(StringBuilder b, Stats s) {
        b.append(",\"count\":").append(s.count());
        b.append(fmt(",\"total_secs\":%.6f", s.totalSecs()));
        b.append(fmt(",\"slowest_secs\":%.9f", s.slowestSecs()));
        b.append(fmt(",\"fastest_secs\":%.9f", s.fastestSecs()));
        b.append(fmt(",\"average_secs\":%.9f", s.averageSecs()));
        b.append(fmt(",\"stddev_secs\":%.9f", s.stddevSecs()));
        b.append(fmt(",\"requests_per_sec\":%.3f", s.requestsPerSec()));
        b.append(",\"latency_secs\":{");
        for (int i = 0; i < Stats.PERCENTILES.length; i++) {
            b.append(i == 0 ? "" : ",").append("\"p").append(percentLabel(Stats.PERCENTILES[i]))
                    .append(fmt("\":%.9f", s.percentileSecs()[i]));
        }
        b.append("},\"errors\":{");
        boolean first = true;
        for (Map.Entry<String, Long> e : s.errors().entrySet()) {
            b.append(first ? "" : ",").append('"').append(escape(e.getKey())).append("\":").append(e.getValue());
            first = false;
        }
        b.append('}');
    }

    static String escape(String s) {
        StringBuilder b = new StringBuilder(s.length());
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '"' || c == '\\') {
                b.append('\\').append(c);
            } else if (c < 0x20) {
                b.append(String.format(Locale.ROOT, "\\u%04x", (int) c));
            } else {
                b.append(c);
            }
        }
        return b.toString();
    }

    private static String fmt(String pattern, Object... args) {
        return String.format(Locale.ROOT, pattern, args);
    }
}
