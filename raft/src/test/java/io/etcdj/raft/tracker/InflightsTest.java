package io.etcdj.raft.tracker;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class InflightsTest {

    @Test
    void fullByCountAndFreedByAcknowledgement() {
        Inflights in = new Inflights(3, 0);
        in.add(1, 10);
        in.add(2, 10);
        assertThat(in.full()).isFalse();
        in.add(3, 10);
        assertThat(in.full()).isTrue();
        in.freeLE(2);
        assertThat(in.count()).isEqualTo(1);
        assertThat(in.bytes()).isEqualTo(10);
        assertThat(in.full()).isFalse();
    }

    @Test
    void fullByBytes() {
        Inflights in = new Inflights(100, 25);
        in.add(1, 10);
        in.add(2, 10);
        assertThat(in.full()).isFalse();
        in.add(3, 10);
        assertThat(in.full()).isTrue();
        in.freeFirstOne();
        assertThat(in.full()).isFalse();
    }

    @Test
    void ringBufferWrapsAndGrows() {
        Inflights in = new Inflights(4, 0);
        for (int round = 0; round < 10; round++) {
            for (int i = 0; i < 4; i++) {
                in.add(round * 4L + i, 1);
            }
            assertThat(in.full()).isTrue();
            in.freeLE(round * 4L + 3);
            assertThat(in.count()).isZero();
        }
        // Beyond the limit (one extra after a heartbeat) the buffer grows instead of failing.
        for (int i = 0; i < 6; i++) {
            in.add(100 + i, 1);
        }
        assertThat(in.count()).isEqualTo(6);
        in.freeLE(103);
        assertThat(in.count()).isEqualTo(2);
    }
}
