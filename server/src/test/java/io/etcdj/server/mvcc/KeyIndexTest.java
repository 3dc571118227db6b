package io.etcdj.server.mvcc;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

class KeyIndexTest {
    private static long[] history() {
        // gen 0: put@2, put@4, tomb@6; gen 1: put@8, put@10; gen 2 (live)
        long[] ki = KeyIndex.put(null, 2, 0);
        ki = KeyIndex.put(ki, 4, 0);
        ki = KeyIndex.tombstone(ki, 6, 0);
        ki = KeyIndex.put(ki, 8, 0);
        return KeyIndex.put(ki, 10, 0);
    }

    private static long versionAt(long[] ki, long rev) {
        long[] out = new long[KeyIndex.OUT_SLOTS];
        return KeyIndex.get(ki, rev, out) ? out[KeyIndex.OUT_VERSION] * 1000 + out[KeyIndex.OUT_MOD_MAIN] : -1;
    }

    @Test
    void getFollowsGenerations() {
        long[] ki = history();
        assertThat(versionAt(ki, 1)).isEqualTo(-1);
        assertThat(versionAt(ki, 3)).isEqualTo(1002);
        assertThat(versionAt(ki, 5)).isEqualTo(2004);
        assertThat(versionAt(ki, 6)).as("deleted at 6").isEqualTo(-1);
        assertThat(versionAt(ki, 7)).isEqualTo(-1);
        assertThat(versionAt(ki, 9)).isEqualTo(1008);
        assertThat(versionAt(ki, 99)).isEqualTo(2010);
        assertThat(KeyIndex.modified(ki)).isEqualTo(new Revision(10, 0));
    }

    @Test
    void compactKeepsWhatIsVisibleFromTheCompactRevisionOn() {
        Set<Revision> available = new HashSet<>();
        long[] ki = KeyIndex.compact(history(), 5, available);
        assertThat(available).containsExactly(new Revision(4, 0));
        assertThat(versionAt(ki, 5)).as("version survives trimming").isEqualTo(2004);
        assertThat(versionAt(ki, 99)).isEqualTo(2010);

        available.clear();
        ki = KeyIndex.compact(ki, 6, available);
        assertThat(available).as("the tombstone at the compact revision goes").isEmpty();
        assertThat(versionAt(ki, 9)).isEqualTo(1008);

        Set<Revision> kept = new HashSet<>();
        KeyIndex.keep(ki, 9, kept);
        assertThat(kept).containsExactly(new Revision(8, 0));
    }

    @Test
    void compactingAwayADeletedKeyLeavesNothing() {
        long[] ki = KeyIndex.tombstone(KeyIndex.put(null, 2, 0), 3, 0);
        Set<Revision> available = new HashSet<>();
        assertThat(KeyIndex.compact(ki, 3, available)).isNull();
        assertThat(available).isEmpty();
    }

    @Test
    void severalGenerationsWithinOneMainRevision() {
        long[] ki = KeyIndex.put(null, 11, 0);
        ki = KeyIndex.tombstone(ki, 11, 2);
        ki = KeyIndex.put(ki, 11, 4);
        Set<Revision> available = new HashSet<>();
        long[] compacted = KeyIndex.compact(ki, 11, available);
        assertThat(available).containsExactly(new Revision(11, 4));
        assertThat(versionAt(compacted, 11)).isEqualTo(1011);
        Set<Revision> kept = new HashSet<>();
        KeyIndex.keep(ki, 11, kept);
        assertThat(kept).isEqualTo(available);
    }
}
