package io.etcdj.benchmarks.report;

import java.util.Arrays;
import java.util.Collections;
import java.util.Map;
import java.util.function.BiFunction;
import java.util.TreeMap;

/**
 * The summary of one load run, computed from every successful request's latency (nanoseconds) and
 * the run's wall time. Definitions follow etcd's report so numbers compare one to one:
 * <ul>
 *   <li>stddev is the population standard deviation;</li>
 *   <li>percentile p is the first sorted sample at rank i with {@code i * 100 / n >= p};</li>
 *   <li>the histogram has 10 equal-width buckets between fastest and slowest, plus a mark at the
 *       slowest, each counting the samples above the previous mark and at most its own.</li>
 * </ul>
 */
public record Stats(long count, double totalSecs, double slowestSecs, double fastestSecs,
        double averageSecs, double stddevSecs, double requestsPerSec, double[] histogramMarksSecs,
        long[] histogramCounts, double[] percentileSecs, Map<String, Long> errors) {

    /** The percentiles etcd prints, in order. */
    public static final double[] PERCENTILES = {10, 25, 50, 75, 90, 95, 99, 99.9};
    /** etcd's bucket count; the histogram has one more mark than this (the slowest). */
    public static final int BUCKETS = 10;

    private static final double NANOS_PER_SEC = 1e9;

    /**
     * Summarises {@code latencyNanos} (any order; not modified) over {@code wallNanos}.
     * With no samples every latency figure is 0 and the histogram is empty.
     */
    public static Stats of(long[] latencyNanos, long wallNanos, Map<String, Long> errors) {
        long[] sorted = latencyNanos.clone();
        Arrays.sort(sorted);
        int n = sorted.length;
        double totalSecs = wallNanos / NANOS_PER_SEC;
        // Sorted so the printed error distribution is stable from run to run.
        Map<String, Long> errs = Collections.unmodifiableMap(new TreeMap<>(errors));
        double rps = totalSecs > 0 ? n / totalSecs : 0;
        if (n == 0) {
            return new Stats(0, totalSecs, 0, 0, 0, 0, rps, new double[0], new long[0],
                    new double[PERCENTILES.length], errs);
        }
        double[] secs = new double[n];
        double sum = 0;
        for (int i = 0; i < n; i++) {
            secs[i] = sorted[i] / NANOS_PER_SEC;
            sum += secs[i];
        }
        double avg = sum / n;
        double squares = 0;
        for (double s : secs) {
            squares += (s - avg) * (s - avg);
        }
        double stddev = Math.sqrt(squares / n);
        double[] marks = histogramMarks(secs[0], secs[n - 1]);
        return new Stats(n, totalSecs, secs[n - 1], secs[0], avg, stddev, rps, marks,
                histogramCounts(secs, marks), percentiles(secs, Stats::rankOf), errs);
    }

    static double[] histogramMarks(double fastest, double slowest) {
        double width = (slowest - fastest) / BUCKETS;
        double[] marks = new double[BUCKETS + 1];
        for (int i = 0; i < BUCKETS; i++) {
            marks[i] = fastest + width * i;
        }
        marks[BUCKETS] = slowest;
        return marks;
    }

    /** Counts sorted samples into marks: each sample lands at the first mark it does not exceed. */
    static long[] histogramCounts(double[] sortedSecs, double[] marks) {
        long[] counts = new long[marks.length];
        int bucket = 0;
        for (double s : sortedSecs) {
            while (bucket < marks.length - 1 && s > marks[bucket]) {
                bucket++;
            }
            counts[bucket]++;
        }
        return counts;
    }

    /** {@code rank} is a parameter so the tests can plant a wrong rule and see it caught. */
    static double[] percentiles(double[] sortedSecs, BiFunction<Double, Integer, Integer> rank) {
        int n = sortedSecs.length;
        double[] out = new double[PERCENTILES.length];
        for (int j = 0; j < PERCENTILES.length; j++) {
            out[j] = sortedSecs[rank.apply(PERCENTILES[j], n)];
        }
        return out;
    }

    /**
     * The smallest rank i in [0, n) with {@code i * 100 / n >= p}; n - 1 if none qualifies (etcd
     * leaves such a percentile at 0, which reads as "fast"; the slowest sample is the honest answer).
     */
    static int rankOf(double p, int n) {
        int i = (int) Math.max(0, Math.ceil(p * n / 100.0) - 1);
        // The ceil can land one off because of rounding; settle on the exact definition.
        while (i > 0 && (i - 1) * 100.0 / n >= p) {
            i--;
        }
        while (i < n && i * 100.0 / n < p) {
            i++;
        }
        return Math.min(i, n - 1);
    }
}
