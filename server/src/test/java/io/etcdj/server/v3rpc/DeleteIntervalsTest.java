package io.etcdj.server.v3rpc;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;

/** The merged intervals against the literal list etcd's tree holds, on short keys over {0, 1, 2}. */
class DeleteIntervalsTest {

    record Interval(byte[] begin, byte[] end) {
        boolean covers(byte[] key) {
            return Arrays.compareUnsigned(key, begin) >= 0 && Arrays.compareUnsigned(key, end) < 0;
        }
    }

    static byte[] key(int code) {
        // 1..3 bytes from {0,1,2}: enough to hit prefixes, "\0" ends and adjacency
        int length = 1 + code % 3;
        byte[] k = new byte[length];
        int rest = code / 3;
        for (int i = 0; i < length; i++) {
            k[i] = (byte) (rest % 3);
            rest /= 3;
        }
        return k;
    }

    @Property(tries = 300)
    void coversExactlyWhatTheListCovers(@ForAll @Size(max = 12) List<@IntRange(min = 0, max = 80) Integer> begins,
            @ForAll @Size(max = 12) List<@IntRange(min = 0, max = 80) Integer> ends,
            @ForAll boolean viaAddAll) {
        DeleteIntervals merged = new DeleteIntervals();
        DeleteIntervals other = new DeleteIntervals();
        List<Interval> literal = new ArrayList<>();
        for (int i = 0; i < Math.min(begins.size(), ends.size()); i++) {
            byte[] b = key(begins.get(i));
            byte[] e = ends.get(i) % 5 == 0 ? Arrays.copyOf(b, b.length + 1) : key(ends.get(i));
            literal.add(new Interval(b, e));
            (viaAddAll && i % 2 == 1 ? other : merged).add(b, e);
        }
        merged.addAll(other);
        for (int code = 0; code <= 90; code++) {
            byte[] k = key(code);
            boolean expected = literal.stream().anyMatch(iv -> iv.covers(k));
            assertThat(merged.covers(k)).as("key %s", Arrays.toString(k)).isEqualTo(expected);
        }
    }

    @Property(tries = 50)
    void aSingleKeyCoversOnlyItself(@ForAll @IntRange(min = 0, max = 80) int code) {
        DeleteIntervals d = new DeleteIntervals();
        d.addKey(key(code));
        for (int other = 0; other <= 90; other++) {
            assertThat(d.covers(key(other))).isEqualTo(Arrays.equals(key(other), key(code)));
        }
    }
}
