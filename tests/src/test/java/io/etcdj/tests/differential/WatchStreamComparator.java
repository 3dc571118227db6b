package io.etcdj.tests.differential;

import io.etcdj.api.etcdserverpb.ResponseHeader;
import io.etcdj.api.etcdserverpb.WatchResponse;
import io.etcdj.api.mvccpb.Event;
import io.grpc.Status;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Compares what two servers delivered on the same watch stream, apart from timing.
 *
 * <p>A stream's log is split into what the lockstep run makes deterministic and compared in full
 * (by {@link OutcomeComparator}, so a report names the field): the control responses in order
 * (created, refused, cancelled by the client; header revision included), per watch id the events
 * in order (flattened across responses, as a server may batch catch-up revisions differently) and
 * the compaction cancel with its {@code compact_revision}, the revisions of the progress responses,
 * and how the stream ended. Not compared: header revisions of event responses (a catch-up response
 * carries the revision it was read at), response boundaries, and where progress and control
 * responses fall between events (etcd 3.4 sends them on a separate channel that races the events;
 * 3.6 queues a progress response behind them). Each side is also checked on its own: a revision's
 * events are never split across two responses (no {@code fragment} is large enough here).
 */
final class WatchStreamComparator {

    private final OutcomeComparator messages = new OutcomeComparator();

    /** What one stream delivered, normalised for comparison. */
    record Normalised(List<WatchResponse> controls, Map<Long, List<WatchResponse>> perWatch,
            List<Long> progressRevisions, String ending, Optional<String> violation) {
    }

    static Normalised normalise(List<WatchResponse> received, Status error) {
        List<WatchResponse> controls = new ArrayList<>();
        Map<Long, List<WatchResponse>> perWatch = new TreeMap<>();
        Map<Long, Long> lastEventRevision = new TreeMap<>();
        List<Long> progress = new ArrayList<>();
        Optional<String> violation = Optional.empty();
        for (WatchResponse r : received) {
            boolean clientCancel = r.getCanceled() && r.getCompactRevision() == 0 && r.getEventsCount() == 0;
            if (r.getCreated() || clientCancel) {
                controls.add(r);
            } else if (r.getWatchId() == -1 && r.getEventsCount() == 0 && !r.getCanceled()) {
                progress.add(r.getHeader().getRevision());
            } else if (r.getEventsCount() == 0) {
                // Compaction cancel (or a progress notification): compared whole, in the watch's order.
                perWatch.computeIfAbsent(r.getWatchId(), id -> new ArrayList<>()).add(r);
            } else {
                long first = r.getEvents(0).getKv().getModRevision();
                Long previous = lastEventRevision.put(r.getWatchId(),
                        r.getEvents(r.getEventsCount() - 1).getKv().getModRevision());
                if (previous != null && previous == first && !r.getFragment() && violation.isEmpty()) {
                    violation = Optional.of("revision " + first + " of watch " + r.getWatchId()
                            + " split across two responses");
                }
                List<WatchResponse> list = perWatch.computeIfAbsent(r.getWatchId(), id -> new ArrayList<>());
                WatchResponse events = r.toBuilder().setHeader(ResponseHeader.getDefaultInstance()).build();
                if (!list.isEmpty() && list.getLast().getEventsCount() > 0) {
                    // Flatten consecutive event responses: batching is timing.
                    WatchResponse merged = list.removeLast().toBuilder().addAllEvents(events.getEventsList()).build();
                    list.add(merged);
                } else {
                    list.add(events.toBuilder().setFragment(false).build());
                }
            }
        }
        String ending = error == null ? "open" : error.getCode() + ": " + error.getDescription();
        return new Normalised(controls, perWatch, progress, ending, violation);
    }

    /** Empty when the two logs agree; else the first difference, named. */
    Optional<String> difference(String nameA, Normalised a, String nameB, Normalised b) {
        for (var side : List.of(Map.entry(nameA, a), Map.entry(nameB, b))) {
            if (side.getValue().violation().isPresent()) {
                return Optional.of(side.getKey() + " broke atomicity: " + side.getValue().violation().get());
            }
        }
        Optional<String> controls = lists("control responses", a.controls(), b.controls());
        if (controls.isPresent()) {
            return controls;
        }
        TreeSet<Long> ids = new TreeSet<>(a.perWatch().keySet());
        ids.addAll(b.perWatch().keySet());
        for (long id : ids) {
            Optional<String> watch = lists("watch " + id, a.perWatch().getOrDefault(id, List.of()),
                    b.perWatch().getOrDefault(id, List.of()));
            if (watch.isPresent()) {
                return watch;
            }
        }
        if (!a.progressRevisions().equals(b.progressRevisions())) {
            return Optional.of("progress responses (header revisions): " + a.progressRevisions() + " != "
                    + b.progressRevisions());
        }
        if (!a.ending().equals(b.ending())) {
            return Optional.of("stream ending: " + a.ending() + " != " + b.ending());
        }
        return Optional.empty();
    }

    private Optional<String> lists(String what, List<WatchResponse> a, List<WatchResponse> b) {
        for (int i = 0; i < Math.min(a.size(), b.size()); i++) {
            int index = i;
            Optional<String> d = messages.difference(Outcome.ok(a.get(i)), Outcome.ok(b.get(i)))
                    .map(text -> what + " [" + index + "] " + text + "\n      A: " + Printing.text(a.get(index))
                            + "\n      B: " + Printing.text(b.get(index)));
            if (d.isPresent()) {
                return d;
            }
        }
        if (a.size() != b.size()) {
            List<WatchResponse> longer = a.size() > b.size() ? a : b;
            return Optional.of(what + ": " + a.size() + " != " + b.size() + " responses; first extra: "
                    + Printing.text(longer.get(Math.min(a.size(), b.size()))));
        }
        return Optional.empty();
    }

    /** Number of events in a normalised stream (for the run's counts). */
    static int events(Normalised n) {
        return n.perWatch().values().stream().flatMap(List::stream).mapToInt(WatchResponse::getEventsCount).sum();
    }

    /** Number of events with a prev_kv. */
    static long prevKvs(Normalised n) {
        return n.perWatch().values().stream().flatMap(List::stream).flatMap(r -> r.getEventsList().stream())
                .filter(Event::hasPrevKv).count();
    }
}
