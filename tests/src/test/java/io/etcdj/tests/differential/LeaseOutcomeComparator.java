package io.etcdj.tests.differential;

import io.etcdj.api.etcdserverpb.LeaseTimeToLiveResponse;
import java.util.Optional;

/**
 * Compares two canonical lease-run answers ({@link LeaseSide#canonical}): everything as
 * {@link OutcomeComparator} does (all but the top-level header's cluster id, member id and raft
 * term), except that TimeToLive's remaining {@code TTL} may differ by up to
 * {@value #TTL_TOLERANCE_SECONDS} s: the two servers read their clocks at different moments and
 * truncate to whole seconds (-1, "no such lease", must match exactly). Granted TTLs and
 * keep-alive TTLs must be equal.
 */
final class LeaseOutcomeComparator {

    static final long TTL_TOLERANCE_SECONDS = 1;

    private final OutcomeComparator exact = new OutcomeComparator();

    Optional<String> difference(Outcome a, Outcome b) {
        if (!a.isError() && !b.isError() && a.response() instanceof LeaseTimeToLiveResponse ta
                && b.response() instanceof LeaseTimeToLiveResponse tb && ta.getTTL() >= 0 && tb.getTTL() >= 0) {
            if (Math.abs(ta.getTTL() - tb.getTTL()) > TTL_TOLERANCE_SECONDS) {
                return Optional.of("TTL: " + ta.getTTL() + " != " + tb.getTTL() + " (more than "
                        + TTL_TOLERANCE_SECONDS + " s apart)");
            }
            return exact.difference(a, Outcome.ok(tb.toBuilder().setTTL(ta.getTTL()).build()));
        }
        return exact.difference(a, b);
    }
}
