package io.etcdj.tests.differential;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import io.etcdj.api.etcdserverpb.WatchResponse;
import io.etcdj.api.mvccpb.KeyValue;
import io.etcdj.tests.framework.ReferenceEtcd;
import io.etcdj.tests.framework.SpawnedEtcd;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Watch event streams of etcdj against the reference etcd 3.4.23 ({@link WatchDifferentialRun}),
 * and the harness checked on two reference etcds: they must agree (else the comparator flags
 * timing, and its reports against etcdj would be noise), and a planted bug in one of them must be
 * reported. Replay a seed with {@code -Ddiff.seed=N}; {@code -Ddiff.watchSteps=M} sets the steps.
 */
@Tag("e2e")
class WatchDifferentialTest {

    private static final int CI_STEPS = 300;
    /** The planted bugs strike early; a shorter run still reaches them. */
    private static final int CONTROL_STEPS = 120;

    @TempDir
    Path workDir;

    @Test
    void etcdjDeliversTheSameWatchStreamsAsTheReference() {
        List<String> differences = new ArrayList<>();
        for (long seed : DifferentialSettings.seeds()) {
            Path dir = workDir.resolve("seed-" + seed);
            WatchDifferentialRun.Result result;
            try (ReferenceEtcd reference = ReferenceEtcd.start(dir.resolve("reference"), 10_000);
                    SpawnedEtcd etcdj = SpawnedEtcd.start(createDirectories(dir.resolve("etcdj")));
                    WatchSide a = side("reference", reference.endpoint(), null);
                    WatchSide b = side("etcdj", etcdj.endpoint(), null)) {
                result = new WatchDifferentialRun(seed, steps()).run(a, b);
            }
            System.out.printf("watch reference-vs-etcdj seed %d: %s%n", seed, result.counts());
            result.difference().ifPresent(differences::add);
        }
        assertThat(differences).isEmpty();
    }

    @Test
    void twoReferenceEtcdsDeliverTheSameWatchStreams() {
        long events = 0;
        long compacted = 0;
        long progress = 0;
        long prevKvs = 0;
        for (long seed : DifferentialSettings.seeds()) {
            WatchDifferentialRun.Result result = runAgainstTwoReferences(seed, null, steps());
            System.out.printf("watch reference-vs-reference seed %d: %s%n", seed, result.counts());
            assertThat(result.difference()).as("seed %d", seed).isEmpty();
            events += result.counts().getOrDefault("events", 0L);
            compacted += result.counts().getOrDefault("canceled for compaction", 0L);
            progress += result.counts().getOrDefault("progress responses", 0L);
            prevKvs += result.counts().getOrDefault("events with prev_kv", 0L);
        }
        // The generator must reach the interesting answers, or equality proves little.
        assertThat(events).as("events delivered").isGreaterThan(100);
        assertThat(compacted).as("watches cancelled for compaction").isPositive();
        assertThat(progress).as("progress responses").isPositive();
        assertThat(prevKvs).as("events with prev_kv").isPositive();
    }

    /** The negative controls: one changed value, one lost response, each must be reported. */
    @Test
    void aPlantedWatchBugIsReported() {
        long seed = DifferentialSettings.seeds().getFirst();
        WatchDifferentialRun.Result changed = runAgainstTwoReferences(seed,
                new OnceOnStream(0, (stream, index, r) -> withValue(r, "planted")), CONTROL_STEPS);
        assertThat(changed.difference()).isPresent();
        assertThat(changed.difference().get()).contains("seed " + seed).contains("stream 0")
                .contains("events[").contains(".value");

        WatchDifferentialRun.Result lost = runAgainstTwoReferences(seed,
                new OnceOnStream(1, (stream, index, r) -> null), CONTROL_STEPS);
        assertThat(lost.difference()).isPresent();
        assertThat(lost.difference().get()).contains("seed " + seed).contains("stream 1");
    }

    private static WatchResponse withValue(WatchResponse r, String value) {
        KeyValue kv = r.getEvents(0).getKv().toBuilder().setValue(ByteString.copyFromUtf8(value)).build();
        return r.toBuilder().setEvents(0, r.getEvents(0).toBuilder().setKv(kv)).build();
    }

    /** Applies {@code planted} to the first events response of one stream, once. */
    private static final class OnceOnStream implements WatchSide.Perturbation {
        private final int stream;
        private final WatchSide.Perturbation planted;
        private boolean done;

        OnceOnStream(int stream, WatchSide.Perturbation planted) {
            this.stream = stream;
            this.planted = planted;
        }

        @Override
        public synchronized WatchResponse apply(int s, int index, WatchResponse response) {
            if (done || s != stream || response.getEventsCount() == 0) {
                return response;
            }
            done = true;
            return planted.apply(s, index, response);
        }
    }

    private WatchDifferentialRun.Result runAgainstTwoReferences(long seed, WatchSide.Perturbation perturbation,
            int steps) {
        Path dir = workDir.resolve("seed-" + seed + (perturbation == null ? "" : "-perturbed-" + System.nanoTime()));
        try (ReferenceEtcd first = ReferenceEtcd.start(dir.resolve("a"), 10_000);
                ReferenceEtcd second = ReferenceEtcd.start(dir.resolve("b"), 10_000);
                WatchSide a = side("reference-a", first.endpoint(), null);
                WatchSide b = side(perturbation == null ? "reference-b" : "perturbed-reference-b", second.endpoint(),
                        perturbation)) {
            return new WatchDifferentialRun(seed, steps).run(a, b);
        }
    }

    private static WatchSide side(String name, String endpoint, WatchSide.Perturbation perturbation) {
        return new WatchSide(name, endpoint, WatchDifferentialRun.streams(), perturbation);
    }

    private static int steps() {
        return Math.min(20_000, Integer.getInteger("diff.watchSteps", CI_STEPS));
    }

    private static Path createDirectories(Path dir) {
        try {
            return Files.createDirectories(dir);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
