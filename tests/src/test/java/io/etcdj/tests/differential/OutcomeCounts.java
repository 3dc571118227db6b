package io.etcdj.tests.differential;

import com.google.protobuf.Message;
import java.util.Map;
import java.util.TreeMap;

/**
 * Tallies what a run exercised (request kind × ok or error code), so a report shows whether the
 * random sequence reached the interesting answers at all: a run that never hit a compacted
 * revision proves nothing about compaction.
 */
public final class OutcomeCounts {

    private final Map<String, Integer> counts = new TreeMap<>();

    void add(Message request, Outcome outcome) {
        String kind = request.getClass().getSimpleName().replace("Request", "");
        String result = outcome.isError() ? outcome.errorMessage() : "ok";
        counts.merge(kind + " " + result, 1, Integer::sum);
    }

    void restarted() {
        counts.merge("kill -9 + restart", 1, Integer::sum);
    }

    public int count(String kindAndResult) {
        return counts.getOrDefault(kindAndResult, 0);
    }

    @Override
    public String toString() {
        return counts.toString();
    }
}
