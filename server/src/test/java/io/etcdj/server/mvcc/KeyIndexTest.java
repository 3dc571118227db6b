package io.etcdj.server.mvcc;

import static org.assertj.core.api.Assertions.assertThat;

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
        long[] kept = new long[2];
        long[] ki = KeyIndex.compact(history(), 5, kept);
        assertThat(kept).containsExactly(4, 0);
        assertThat(versionAt(ki, 5)).as("version survives trimming").isEqualTo(2004);
        assertThat(versionAt(ki, 99)).isEqualTo(2010);

        ki = KeyIndex.compact(ki, 6, kept);
        assertThat(kept[0]).as("the tombstone at the compact revision goes").isEqualTo(KeyIndex.NONE_KEPT);
        assertThat(versionAt(ki, 9)).isEqualTo(1008);

        RevisionSet set = new RevisionSet();
        KeyIndex.keep(ki, 9, set);
        assertThat(set.size()).isEqualTo(1);
        assertThat(set.contains(new Revision(8, 0))).isTrue();
    }

    @Test
    void compactingAwayADeletedKeyLeavesNothing() {
        long[] ki = KeyIndex.tombstone(KeyIndex.put(null, 2, 0), 3, 0);
        long[] kept = new long[2];
        assertThat(KeyIndex.compact(ki, 3, kept)).isNull();
        assertThat(kept[0]).isEqualTo(KeyIndex.NONE_KEPT);
    }

    @Test
    void severalGenerationsWithinOneMainRevision() {
        long[] ki = KeyIndex.put(null, 11, 0);
        ki = KeyIndex.tombstone(ki, 11, 2);
        ki = KeyIndex.put(ki, 11, 4);
        long[] kept = new long[2];
        long[] compacted = KeyIndex.compact(ki, 11, kept);
        assertThat(kept).containsExactly(11, 4);
        assertThat(versionAt(compacted, 11)).isEqualTo(1011);
        RevisionSet set = new RevisionSet();
        KeyIndex.keep(ki, 11, set);
        assertThat(set.contains(new Revision(11, 4))).isTrue();
        assertThat(set.size()).isEqualTo(1);
    }

    @Test
    void aReaderIgnoresAnAppendNotYetPublished() {
        long[] ki = KeyIndex.put(KeyIndex.put(KeyIndex.put(null, 2, 0), 4, 0), 6, 0);
        assertThat(ki.length).as("room for the next put").isGreaterThanOrEqualTo((int) ki[0] + 2);
        // What appendInPlace writes before it moves `used`: the revision past it, the generation's n.
        int used = (int) ki[0];
        ki[used] = 8;
        ki[used + 1] = 0;
        ki[1 + 3]++;

        assertThat(versionAt(ki, 99)).as("the published state only").isEqualTo(3006);
        assertThat(KeyIndex.modified(ki)).isEqualTo(new Revision(6, 0));
        assertThat(KeyIndex.appendInPlace(ki, 8, 0, false)).isTrue();
        assertThat(versionAt(ki, 99)).isEqualTo(4008);
    }
}
