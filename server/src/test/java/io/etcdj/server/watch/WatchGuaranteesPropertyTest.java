package io.etcdj.server.watch;

import static org.assertj.core.api.Assertions.assertThat;

import io.etcdj.api.etcdserverpb.WatchResponse;
import io.etcdj.api.mvccpb.Event;
import java.util.List;
import java.util.function.Predicate;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;

/**
 * The six watch guarantees over randomized histories (slow clients, dropped hand-overs, compaction,
 * cancel-and-resume, progress requests), and one negative control per guarantee: the same checker
 * shown a planted bug must name it.
 */
class WatchGuaranteesPropertyTest {

    @Property(tries = 60)
    void everyWatcherGetsEtcdsSixGuarantees(@ForAll long seed, @ForAll @IntRange(min = 1, max = 6) int buffer) {
        WatchScenario run = new WatchScenario(seed, buffer).run(300);

        assertThat(run.violations()).as("seed %d buffer %d", seed, buffer).isEmpty();
        assertThat(run.watches).isNotEmpty();
    }

    /**
     * The same guarantees when the streams coalesce as the server's do: a watcher's queued response
     * takes later revisions (budget 256 KiB), or only until a few hundred bytes are queued (so the
     * budget's edge is crossed often).
     */
    @Property(tries = 60)
    void coalescingStreamsKeepTheSixGuarantees(@ForAll long seed, @ForAll @IntRange(min = 1, max = 6) int buffer,
            @ForAll boolean tinyBudget) {
        long budget = tinyBudget ? 300 : StreamSender.MERGE_BUDGET_BYTES;
        WatchScenario run = new WatchScenario(seed, buffer, b -> new StreamOutbox(b, 1_000, budget)).run(300);

        assertThat(run.violations()).as("seed %d buffer %d budget %d", seed, buffer, budget).isEmpty();
    }

    @Test
    void coalescingReallyMergesRevisions() {
        WatchScenario run = new WatchScenario(7, 4, b -> new StreamOutbox(b, 1_000, StreamSender.MERGE_BUDGET_BYTES))
                .run(400);

        assertThat(run.violations()).isEmpty();
        assertThat(run.sinks.stream().flatMap(s -> s.delivered.stream()).filter(WatchGuaranteesPropertyTest::spansRevisions))
                .as("some response carries events of more than one revision").isNotEmpty();
    }

    /** Negative control for the fence: an outbox that lets queued responses grow across a progress response. */
    @Test
    void bookmarkableCatchesCoalescingAcrossAProgressResponse() {
        boolean caught = false;
        for (long seed = 1; seed <= 40 && !caught; seed++) {
            WatchScenario run = new WatchScenario(seed, 4, b -> new StreamOutbox(b, 1_000, StreamSender.MERGE_BUDGET_BYTES) {
                @Override
                void fence() {
                    // the planted bug: no fence, events may overtake a control response
                }
            }).run(300);
            List<String> violations = run.violations();
            caught = violations.stream().anyMatch(v -> v.startsWith("bookmarkable:"));
        }
        assertThat(caught).as("some seed merges events past a progress response and the checker says so").isTrue();
    }

    private static boolean spansRevisions(WatchResponse r) {
        return r.getEventsCount() > 1 && r.getEvents(0).getKv().getModRevision()
                != r.getEvents(r.getEventsCount() - 1).getKv().getModRevision();
    }

    @Test
    void tinyBuffersReallyMakeVictimsThatCatchUp() {
        WatchScenario run = new WatchScenario(7, 1).run(400);

        assertThat(run.violations()).isEmpty();
        long eventsDelivered = run.sinks.stream().flatMap(s -> s.delivered.stream())
                .mapToLong(WatchResponse::getEventsCount).sum();
        assertThat(eventsDelivered).isGreaterThan(50);
    }

    // ---- negative controls: plant each bug in a clean run's output, the checker must name it ----

    @Test
    void orderedCatchesTwoResponsesSwapped() {
        assertPlantedBugCaught("ordered:", delivered -> {
            int[] at = eventResponses(delivered, 2);
            if (at == null) {
                return false;
            }
            WatchResponse first = delivered.get(at[0]);
            delivered.set(at[0], delivered.get(at[1]));
            delivered.set(at[1], first);
            return true;
        });
    }

    @Test
    void uniqueCatchesAResponseSentTwice() {
        assertPlantedBugCaught("unique:", delivered -> {
            int[] at = eventResponses(delivered, 1);
            if (at == null) {
                return false;
            }
            delivered.add(at[0] + 1, delivered.get(at[0]));
            return true;
        });
    }

    @Test
    void reliableCatchesALostResponse() {
        assertPlantedBugCaught("reliable:", delivered -> {
            int[] at = eventResponses(delivered, 2);
            if (at == null) {
                return false;
            }
            delivered.remove(at[0]);
            return true;
        });
    }

    @Test
    void atomicCatchesARevisionSplitAcrossResponses() {
        assertPlantedBugCaught("atomic:", delivered -> {
            for (int i = 0; i < delivered.size(); i++) {
                WatchResponse r = delivered.get(i);
                if (r.getEventsCount() >= 2 && r.getEvents(0).getKv().getModRevision()
                        == r.getEvents(1).getKv().getModRevision()) {
                    delivered.set(i, r.toBuilder().clearEvents().addEvents(r.getEvents(0)).build());
                    delivered.add(i + 1, r.toBuilder().removeEvents(0).build());
                    return true;
                }
            }
            return false;
        });
    }

    @Test
    void bookmarkableCatchesAProgressNotificationAheadOfItsEvents() {
        assertPlantedBugCaught("bookmarkable:", delivered -> {
            int[] at = eventResponses(delivered, 1);
            if (at == null) {
                return false;
            }
            WatchResponse events = delivered.get(at[0]);
            long rev = events.getEvents(events.getEventsCount() - 1).getKv().getModRevision();
            delivered.add(at[0], WatchResponse.newBuilder().setWatchId(WatchCore.PROGRESS_WATCH_ID)
                    .setHeader(events.getHeader().toBuilder().setRevision(rev)).build());
            return true;
        });
    }

    @Test
    void resumableCatchesAResumeThatSkipsARevision() {
        boolean caught = false;
        for (long seed = 1; seed <= 30 && !caught; seed++) {
            WatchScenario offByOne = new WatchScenario(seed, 4) {
                @Override
                long resumeRevision(long next) {
                    return next + 1; // the planted bug: resume one revision too late
                }
            }.run(300);
            List<String> violations = offByOne.violations();
            assertThat(violations).allMatch(v -> v.startsWith("resumable:"));
            caught = !violations.isEmpty();
        }
        assertThat(caught).as("some seed resumes past an event and the checker says so").isTrue();
    }

    /** Finds a clean run where the mutation applies; the checker must then report {@code prefix}. */
    private static void assertPlantedBugCaught(String prefix, Predicate<List<WatchResponse>> plant) {
        for (long seed = 1; seed <= 30; seed++) {
            WatchScenario run = new WatchScenario(seed, 4).run(300);
            assertThat(run.violations()).as("clean run, seed %d", seed).isEmpty();
            for (TestSink sink : run.sinks) {
                if (plant.test(sink.delivered)) {
                    assertThat(run.violations()).as("planted in seed %d", seed).anyMatch(v -> v.startsWith(prefix));
                    return;
                }
            }
        }
        throw new AssertionError("no run offered a place to plant the " + prefix + " bug");
    }

    /** Indexes of the first {@code n} event responses of one watch id in the stream, or null. */
    private static int[] eventResponses(List<WatchResponse> delivered, int n) {
        for (WatchResponse candidate : delivered) {
            if (candidate.getEventsCount() == 0) {
                continue;
            }
            long id = candidate.getWatchId();
            int[] at = new int[n];
            int found = 0;
            long lastRev = -1;
            for (int i = 0; i < delivered.size() && found < n; i++) {
                WatchResponse r = delivered.get(i);
                List<Event> events = r.getEventsList();
                if (r.getWatchId() == id && !events.isEmpty() && events.getFirst().getKv().getModRevision() > lastRev) {
                    at[found++] = i;
                    lastRev = events.getLast().getKv().getModRevision();
                }
            }
            if (found == n) {
                return at;
            }
        }
        return null;
    }
}
