package io.etcdj.raft.tracker;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ProgressTest {

    private static Progress probe(long match, long next) {
        return new Progress(match, next, new Inflights(2, 0), false);
    }

    @Test
    void probeSendsOneAppendAtATime() {
        Progress pr = probe(0, 5);
        assertThat(pr.isPaused()).isFalse();
        pr.sentEntries(6, 1);
        assertThat(pr.isPaused()).isTrue();
        assertThat(pr.maybeUpdate(6)).isTrue();
        assertThat(pr.isPaused()).isFalse();
    }

    @Test
    void staleRejectionsAreIgnored() {
        Progress pr = probe(0, 10);
        assertThat(pr.maybeDecrTo(5, 3)).isFalse();
        assertThat(pr.maybeDecrTo(9, 3)).isTrue();
        assertThat(pr.next()).isEqualTo(4);
        pr.maybeUpdate(6);
        pr.becomeReplicate();
        assertThat(pr.maybeDecrTo(6, 0)).isFalse();
        assertThat(pr.maybeDecrTo(8, 0)).isTrue();
        assertThat(pr.next()).isEqualTo(7);
    }

    @Test
    void replicatePausesWhenWindowIsFull() {
        Progress pr = probe(5, 6);
        pr.becomeReplicate();
        pr.sentEntries(7, 1);
        pr.sentEntries(8, 1);
        assertThat(pr.isPaused()).isTrue();
        assertThat(pr.next()).isEqualTo(9);
        pr.maybeUpdate(7);
        pr.inflights().freeLE(7);
        assertThat(pr.isPaused()).isFalse();
    }

    @Test
    void snapshotThenProbeFromAfterSnapshot() {
        Progress pr = probe(2, 3);
        pr.becomeSnapshot(50);
        assertThat(pr.isPaused()).isTrue();
        pr.becomeProbe();
        assertThat(pr.next()).isEqualTo(51);
    }

    /** Found by the randomized cluster test: reordered responses must not push next below match. */
    @Test
    void reorderedRejectionDoesNotProbeBelowMatch() {
        Progress pr = probe(0, 1);
        pr.becomeReplicate();
        pr.maybeUpdate(53);
        // A rejection at 55 (sent before the follower caught up) drops back to probing at 54 ...
        assertThat(pr.maybeDecrTo(55, 53)).isTrue();
        pr.becomeProbe();
        assertThat(pr.next()).isEqualTo(54);
        // ... and an even older rejection at 53 with hint 27 is stale: match is already 53.
        assertThat(pr.maybeDecrTo(53, 27)).isFalse();
        assertThat(pr.next()).isEqualTo(54);
    }
}
