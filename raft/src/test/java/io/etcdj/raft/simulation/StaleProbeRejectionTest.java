package io.etcdj.raft.simulation;

import static org.assertj.core.api.Assertions.assertThat;

import io.etcdj.raft.tracker.Inflights;
import io.etcdj.raft.tracker.Progress;
import io.etcdj.raft.tracker.ProgressState;
import org.junit.jupiter.api.Test;

/**
 * Regression test for the first core bug the simulation found (45 of the first 100 seeds threw
 * "next N must stay above match N"): a rejection that arrives late or twice can name exactly
 * next - 1 of a probe sent after the follower had meanwhile acknowledged more; its hint then
 * lies below match. The leader must not move next to or below match (etcd clamps at
 * match + 1); it keeps probing from match + 1.
 */
class StaleProbeRejectionTest {

    @Test
    void aStaleRejectionWithAHintBelowMatchKeepsNextAboveMatch() {
        Progress pr = new Progress(0, 6, new Inflights(256, 0), false);
        assertThat(pr.state()).isEqualTo(ProgressState.PROBE);
        // The follower acknowledges index 5 (answer to a later probe), then the leader falls back
        // to probing from match + 1 = 6.
        pr.maybeUpdate(5);
        pr.becomeProbe();
        assertThat(pr.next()).isEqualTo(6);
        // The late duplicate of the first probe's rejection: at index 5, hint 2.
        pr.maybeDecrTo(5, 2);
        assertThat(pr.next()).isGreaterThan(pr.match());
    }
}
