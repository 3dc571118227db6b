package io.etcdj.server.watch;

import com.google.protobuf.ByteString;
import io.etcdj.api.etcdserverpb.WatchResponse;
import io.etcdj.api.mvccpb.Event;
import io.etcdj.api.mvccpb.KeyValue;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Checks what one watcher received against the model history: etcd's six watch guarantees
 * (reliability.md §1.1) — ordered, unique, reliable, atomic, resumable, bookmarkable — plus event
 * content (filters, prev_kv) and created-first. Each violation is a line starting with the name of
 * the guarantee it breaks.
 */
final class WatchGuarantees {

    /** What the watcher asked for; {@code startRev} is the effective first revision. */
    record Spec(long id, ByteString key, ByteString end, long startRev, boolean prevKv, boolean noPut,
            boolean noDelete) {
        boolean contains(ByteString k) {
            if (end == null) {
                return key.equals(k);
            }
            return Watcher.KEY_ORDER.compare(k, key) >= 0 && (end.isEmpty() || Watcher.KEY_ORDER.compare(k, end) < 0);
        }

        boolean wants(Event e) {
            return contains(e.getKv().getKey()) && !(e.getType() == Event.EventType.PUT ? noPut : noDelete);
        }
    }

    /** The outcome of one watcher's stream: its events in arrival order, violations, how it ended. */
    record Outcome(List<Event> events, List<String> violations, boolean canceled, boolean compacted, long coveredRev) {
    }

    private WatchGuarantees() {
    }

    /** The watcher's expected events in {@code [from, to]}, as the model says. */
    static List<Event> expected(FakeHistory model, Spec spec, long from, long to) {
        List<Event> out = new ArrayList<>();
        for (long r = Math.max(from, 1); r <= to; r++) {
            for (Event e : model.eventsAt(r)) {
                if (spec.wants(e)) {
                    out.add(e);
                }
            }
        }
        return out;
    }

    /**
     * Checks the watcher's responses within its stream's responses. {@code complete}: the watcher was
     * neither canceled nor left behind, so it must have everything up to the model's revision.
     */
    static Outcome check(FakeHistory model, Spec spec, List<WatchResponse> stream, boolean complete) {
        List<String> v = new ArrayList<>();
        List<Event> got = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        long lastEventRev = spec.startRev() - 1;
        long covered = spec.startRev() - 1;
        long bookmark = Long.MIN_VALUE;
        boolean created = false;
        boolean canceled = false;
        boolean compacted = false;
        for (WatchResponse r : mergeFragments(stream, spec.id())) {
            boolean mine = r.getWatchId() == spec.id();
            if (mine && r.getCreated()) {
                created = true;
                continue;
            }
            if (!created || canceled || !(mine || r.getWatchId() == WatchCore.PROGRESS_WATCH_ID)) {
                if (mine && !created) {
                    v.add("created-first: response before the created response: " + brief(r));
                }
                continue;
            }
            if (mine && r.getCanceled()) {
                canceled = true;
                compacted = r.getCompactRevision() > 0;
                continue;
            }
            if (r.getEventsCount() == 0) {
                long progressRev = r.getHeader().getRevision();
                List<Event> owed = expected(model, spec, spec.startRev(), progressRev);
                if (!sameEvents(owed, got)) {
                    v.add("bookmarkable: progress at " + progressRev + " after " + got.size() + " events, owed "
                            + owed.size());
                }
                covered = Math.max(covered, progressRev);
                bookmark = Math.max(bookmark, progressRev);
                continue;
            }
            lastEventRev = checkResponse(model, spec, r, lastEventRev, bookmark, seen, got, v);
        }
        if (!created) {
            v.add("created-first: no created response for watch " + spec.id());
        }
        List<Event> owedSoFar = expected(model, spec, spec.startRev(), lastEventRev);
        if (!sameEvents(owedSoFar, got)) {
            v.add("reliable: got " + got.size() + " events up to revision " + lastEventRev + ", history has "
                    + owedSoFar.size());
        }
        if (complete && !canceled) {
            List<Event> all = expected(model, spec, spec.startRev(), model.current());
            if (!sameEvents(all, got)) {
                v.add("reliable: at the end got " + got.size() + " events, history has " + all.size());
            }
        }
        return new Outcome(got, v, canceled, compacted, Math.max(covered, lastEventRev));
    }

    /** Resumable: a second watch from the first's last revision + 1 continues the first exactly. */
    static List<String> checkResumed(FakeHistory model, Spec first, List<Event> firstEvents, List<Event> secondEvents) {
        List<Event> joined = new ArrayList<>(firstEvents);
        joined.addAll(secondEvents);
        long last = joined.isEmpty() ? first.startRev() - 1 : joined.getLast().getKv().getModRevision();
        List<Event> owed = expected(model, first, first.startRev(), last);
        return sameEvents(owed, joined) ? List.of()
                : List.of("resumable: resumed watch gave " + joined.size() + " events, history has " + owed.size());
    }

    private static long checkResponse(FakeHistory model, Spec spec, WatchResponse r, long lastEventRev,
            long bookmark, Set<String> seen, List<Event> got, List<String> v) {
        long prevInResponse = lastEventRev;
        for (int i = 0; i < r.getEventsCount(); i++) {
            Event e = r.getEvents(i);
            long rev = e.getKv().getModRevision();
            String id = rev + "/" + e.getKv().getKey().toStringUtf8() + "/" + e.getType();
            if (!seen.add(id)) {
                v.add("unique: event " + id + " delivered twice");
            } else if (i == 0 ? rev <= lastEventRev : rev < prevInResponse) {
                v.add("ordered: event at " + rev + " after events up to " + prevInResponse);
            }
            if (rev <= bookmark) {
                v.add("bookmarkable: event at " + rev + " after a progress notification at " + bookmark);
            }
            prevInResponse = Math.max(prevInResponse, rev);
            checkContent(model, spec, e, v);
            got.add(e);
        }
        for (long rev = r.getEvents(0).getKv().getModRevision(); rev <= prevInResponse; rev++) {
            long inResponse = countAt(r.getEventsList(), rev);
            long owed = expected(model, spec, rev, rev).size();
            if (inResponse != 0 && inResponse != owed) {
                v.add("atomic: revision " + rev + " has " + owed + " events for the watcher, response carried "
                        + inResponse);
            }
        }
        return Math.max(lastEventRev, prevInResponse);
    }

    private static void checkContent(FakeHistory model, Spec spec, Event e, List<String> v) {
        long rev = e.getKv().getModRevision();
        Event truth = null;
        if (rev >= 1 && rev <= model.current()) {
            for (Event m : model.eventsAt(rev)) {
                if (m.getKv().getKey().equals(e.getKv().getKey())) {
                    truth = m;
                }
            }
        }
        if (truth == null || !spec.wants(truth)) {
            v.add("content: event at " + rev + " for " + e.getKv().getKey().toStringUtf8() + " is not the watcher's");
            return;
        }
        if (!truth.getKv().equals(e.getKv()) || truth.getType() != e.getType()) {
            v.add("content: event at " + rev + " differs from history");
        }
        KeyValue prev = model.previousUncompacted(e.getKv().getKey(), rev);
        if (!spec.prevKv() && e.hasPrevKv()) {
            v.add("content: prev_kv at " + rev + " not asked for");
        } else if (spec.prevKv() && e.hasPrevKv() && !e.getPrevKv().equals(prev)) {
            v.add("content: wrong prev_kv at " + rev);
        } else if (spec.prevKv() && !e.hasPrevKv() && prev != null && rev - 1 >= model.compactRevision()) {
            v.add("content: prev_kv missing at " + rev);
        }
    }

    /** Fragments of one response (fragment=true then the last) become one response again. */
    private static List<WatchResponse> mergeFragments(List<WatchResponse> stream, long id) {
        List<WatchResponse> out = new ArrayList<>();
        WatchResponse.Builder pending = null;
        for (WatchResponse r : stream) {
            if (r.getWatchId() != id || r.getEventsCount() == 0) {
                out.add(r);
                continue;
            }
            if (pending == null) {
                pending = r.toBuilder();
            } else {
                pending.addAllEvents(r.getEventsList());
            }
            if (!r.getFragment()) {
                out.add(pending.setFragment(false).build());
                pending = null;
            }
        }
        return out;
    }

    private static long countAt(List<Event> events, long rev) {
        return events.stream().filter(e -> e.getKv().getModRevision() == rev).count();
    }

    private static boolean sameEvents(List<Event> owed, List<Event> got) {
        if (owed.size() != got.size()) {
            return false;
        }
        for (int i = 0; i < owed.size(); i++) {
            Event a = owed.get(i);
            Event b = got.get(i);
            if (!a.getKv().equals(b.getKv()) || a.getType() != b.getType()) {
                return false;
            }
        }
        return true;
    }

    private static String brief(WatchResponse r) {
        return "watch " + r.getWatchId() + " events " + r.getEventsCount() + " rev " + r.getHeader().getRevision();
    }
}
