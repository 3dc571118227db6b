package io.etcdj.benchmarks.report;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.Map;
import java.util.function.BiFunction;
import org.junit.jupiter.api.Test;

class StatsTest {

    private static final double EPS = 1e-12;

    /** 10, 9, ..., 1 ms (deliberately unsorted) over a 2 s run. */
    private static long[] oneToTenMillis() {
        long[] l = new long[10];
        for (int i = 0; i < 10; i++) {
            l[i] = (10 - i) * 1_000_000L;
        }
        return l;
    }

    @Test
    void summaryMatchesHandComputedValues() {
        Stats s = Stats.of(oneToTenMillis(), 2_000_000_000L, Map.of());
        assertThat(s.count()).isEqualTo(10);
        assertThat(s.totalSecs()).isCloseTo(2.0, within(EPS));
        assertThat(s.requestsPerSec()).isCloseTo(5.0, within(EPS));
        assertThat(s.fastestSecs()).isCloseTo(0.001, within(EPS));
        assertThat(s.slowestSecs()).isCloseTo(0.010, within(EPS));
        assertThat(s.averageSecs()).isCloseTo(0.0055, within(EPS));
        // Population variance of 1..10 is (10^2 - 1) / 12 = 8.25 ms^2.
        assertThat(s.stddevSecs()).isCloseTo(Math.sqrt(8.25) / 1000, within(EPS));
    }

    @Test
    void percentilesTakeFirstSampleWhoseRankReachesP() {
        Stats s = Stats.of(oneToTenMillis(), 1, Map.of());
        // n = 10, rank i covers i*10 %: p10 -> i=1 (2 ms), p25 -> i=3, p50 -> i=5, p75 -> i=8,
        // p90 -> i=9; p95 and beyond reach no rank below 10, so they report the slowest.
        assertThat(s.percentileSecs()).containsExactly(
                new double[] {0.002, 0.004, 0.006, 0.009, 0.010, 0.010, 0.010, 0.010}, within(EPS));
    }

    @Test
    void rankRuleOnALargerSample() {
        // n = 1000: p99.9 needs i*100/1000 >= 99.9, i.e. i = 999; p50 needs i = 500.
        assertThat(Stats.rankOf(99.9, 1000)).isEqualTo(999);
        assertThat(Stats.rankOf(50, 1000)).isEqualTo(500);
        assertThat(Stats.rankOf(10, 1)).isEqualTo(0);
        assertThat(Stats.rankOf(10, 3)).isEqualTo(1);
    }

    @Test
    void negativeControlOffByOneRankIsCaught() {
        double[] sorted = {0.001, 0.002, 0.003, 0.004, 0.005, 0.006, 0.007, 0.008, 0.009, 0.010};
        BiFunction<Double, Integer, Integer> floorRank =
                (p, n) -> Math.min(n - 1, (int) Math.floor(p * n / 100.0) - 1 < 0 ? 0 : (int) Math.floor(p * n / 100.0) - 1);
        double[] right = Stats.percentiles(sorted, Stats::rankOf);
        double[] planted = Stats.percentiles(sorted, floorRank);
        assertThat(right[2]).isCloseTo(0.006, within(EPS));
        assertThatThrownBy(() -> assertThat(planted[2]).isCloseTo(0.006, within(EPS)))
                .isInstanceOf(AssertionError.class);
    }

    @Test
    void histogramCountsEachSampleAtFirstMarkItDoesNotExceed() {
        Stats s = Stats.of(oneToTenMillis(), 1, Map.of());
        // Marks: 1.0, 1.9, 2.8, ..., 9.1, 10.0 ms. 2 ms is above 1.9 so it lands at 2.8.
        assertThat(s.histogramMarksSecs()).hasSize(11);
        assertThat(s.histogramMarksSecs()[1]).isCloseTo(0.0019, within(EPS));
        assertThat(s.histogramCounts()).containsExactly(1, 0, 1, 1, 1, 1, 1, 1, 1, 1, 1);
        long total = 0;
        for (long c : s.histogramCounts()) {
            total += c;
        }
        assertThat(total).isEqualTo(s.count());
    }

    @Test
    void allEqualSamplesFallInFirstBucket() {
        Stats s = Stats.of(new long[] {5_000, 5_000, 5_000}, 1_000_000_000L, Map.of());
        assertThat(s.stddevSecs()).isZero();
        assertThat(s.histogramCounts()[0]).isEqualTo(3);
    }

    @Test
    void emptyRunReportsZeros() {
        Stats s = Stats.of(new long[0], 1_000_000_000L, Map.of("Unavailable", 3L));
        assertThat(s.count()).isZero();
        assertThat(s.requestsPerSec()).isZero();
        assertThat(s.errors()).containsEntry("Unavailable", 3L);
    }
}
