package io.etcdj.benchmarks.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class KeysTest {

    @Test
    void keyIsZigZagVarintOfItsNumberZeroPadded() {
        Keys keys = new Keys(8, 1000, true);
        // 0 -> zig-zag 0; 1 -> 2; 300 -> 600 = 0b100_1011000 -> 0xD8 0x04.
        assertThat(keys.key(0).toByteArray()).containsExactly(0, 0, 0, 0, 0, 0, 0, 0);
        assertThat(keys.key(1).toByteArray()).containsExactly(2, 0, 0, 0, 0, 0, 0, 0);
        assertThat(keys.key(300).toByteArray()).containsExactly(0xD8 - 256, 0x04, 0, 0, 0, 0, 0, 0);
    }

    @Test
    void shortKeysAreTruncatedNotOverrun() {
        assertThat(new Keys(1, 1000, true).key(300).toByteArray()).containsExactly(0xD8 - 256);
    }

    @Test
    void sequentialKeysWrapAroundTheKeySpaceAndRandomOnesStayInside() {
        Keys sequential = new Keys(8, 3, true);
        SplittableRandom r = new SplittableRandom(7);
        assertThat(new long[] {sequential.numberFor(0, r), sequential.numberFor(4, r), sequential.numberFor(5, r)})
                .containsExactly(0, 1, 2);
        Keys random = new Keys(8, 3, false);
        for (int i = 0; i < 1000; i++) {
            assertThat(random.numberFor(i, r)).isBetween(0L, 2L);
        }
    }

    @Test
    void distinctNumbersGiveDistinctKeys() {
        Keys keys = new Keys(8, 100_000, true);
        assertThat(keys.key(99_999)).isNotEqualTo(keys.key(99_998));
    }

    @Test
    void refusesBadSizes() {
        assertThatThrownBy(() -> new Keys(0, 1, true)).hasMessageContaining("--key-size");
        assertThatThrownBy(() -> new Keys(8, 0, true)).hasMessageContaining("--key-space-size");
        assertThatThrownBy(() -> Keys.randomValue(-1, 1)).hasMessageContaining("--val-size");
    }
}
