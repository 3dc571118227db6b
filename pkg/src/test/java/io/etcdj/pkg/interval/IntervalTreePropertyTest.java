package io.etcdj.pkg.interval;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import org.junit.jupiter.api.Test;

/** The tree against a plain list of intervals scanned in full (the model), under random operations. */
class IntervalTreePropertyTest {

    private record Entry(byte[] low, byte[] high, int value) {
        boolean holds(byte[] point, boolean highInclusive) {
            if (Arrays.compareUnsigned(low, point) > 0) {
                return false;
            }
            if (high == null) {
                return true;
            }
            int c = Arrays.compareUnsigned(point, high);
            return highInclusive ? c <= 0 : c < 0;
        }
    }

    @Property(tries = 200)
    void stabbingAgreesWithAFullScan(@ForAll long seed) {
        assertThat(firstDisagreement(seed, false)).isNull();
    }

    @Test
    void negativeControlAModelWithInclusiveEndsDisagrees() {
        boolean caught = false;
        for (long seed = 0; seed < 50 && !caught; seed++) {
            caught = firstDisagreement(seed, true) != null;
        }
        assertThat(caught).as("the comparison notices a planted off-by-one at the range end").isTrue();
    }

    @Test
    void unboundedAndPointRanges() {
        IntervalTree<String> tree = new IntervalTree<>();
        tree.insert(b("b"), null, "b+");
        tree.insert(b("a"), b("a\0"), "a");
        tree.insert(b("a"), b("c"), "a-c");
        List<String> out = new ArrayList<>();
        tree.stab(b("b"), out::add);
        assertThat(out).containsExactlyInAnyOrder("b+", "a-c");
        out.clear();
        tree.stab(b("a"), out::add);
        assertThat(out).containsExactlyInAnyOrder("a", "a-c");
        assertThat(tree.delete(b("a"), b("c"), "a-c")).isTrue();
        assertThat(tree.delete(b("a"), b("c"), "a-c")).isFalse();
        assertThat(tree.size()).isEqualTo(2);
    }

    /** Runs random operations; returns a description of the first disagreement, or null. */
    private static String firstDisagreement(long seed, boolean modelHighInclusive) {
        Random random = new Random(seed);
        IntervalTree<Integer> tree = new IntervalTree<>();
        List<Entry> model = new ArrayList<>();
        for (int step = 0; step < 300; step++) {
            int dice = random.nextInt(10);
            if (dice < 4) {
                byte[] low = key(random);
                byte[] high = random.nextInt(5) == 0 ? null : key(random);
                if (high != null && Arrays.compareUnsigned(low, high) >= 0) {
                    continue;
                }
                int value = random.nextInt(20);
                tree.insert(low, high, value);
                model.add(new Entry(low, high, value));
            } else if (dice < 6 && !model.isEmpty()) {
                Entry e = model.remove(random.nextInt(model.size()));
                if (!tree.delete(e.low(), e.high(), e.value())) {
                    return "delete of a present interval failed";
                }
            } else {
                byte[] point = key(random);
                List<Integer> got = new ArrayList<>();
                tree.stab(point, got::add);
                List<Integer> want = new ArrayList<>();
                model.stream().filter(e -> e.holds(point, modelHighInclusive)).forEach(e -> want.add(e.value()));
                got.sort(null);
                want.sort(null);
                if (!got.equals(want)) {
                    return "step " + step + ": stab " + Arrays.toString(point) + " got " + got + " want " + want;
                }
            }
        }
        return null;
    }

    private static byte[] key(Random random) {
        byte[] k = new byte[1 + random.nextInt(2)];
        for (int i = 0; i < k.length; i++) {
            k[i] = (byte) (random.nextBoolean() ? 'a' + random.nextInt(4) : random.nextInt(256));
        }
        return k;
    }

    private static byte[] b(String s) {
        return s.getBytes(java.nio.charset.StandardCharsets.UTF_8);
    }
}
