package io.etcdj.server.apply;

import static io.etcdj.server.apply.Kv.b;
import static io.etcdj.server.apply.Kv.cmp;
import static io.etcdj.server.apply.Kv.put;
import static org.assertj.core.api.Assertions.assertThat;

import io.etcdj.api.etcdserverpb.Compare;
import io.etcdj.api.etcdserverpb.Compare.CompareResult;
import io.etcdj.api.etcdserverpb.Compare.CompareTarget;
import java.nio.file.Path;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Every compare target × result on a present key, missing keys, ranges and odd operands. */
class ComparesTest {
    @TempDir
    Path dir;
    SingleMemberKv kv;

    @BeforeEach
    void open() {
        kv = new SingleMemberKv(dir, Set.of(5L)::contains);
        kv.putNow(put("k", "m").toBuilder().setLease(5).build()); // rev 2
        kv.putNow(put("k", "m"));                                 // rev 3: version 2, create 2, mod 3, lease 0
        kv.putNow(put("r1", "a"));                                // rev 4
        kv.putNow(put("r2", "b"));                                // rev 5
    }

    @AfterEach
    void close() {
        kv.close();
    }

    private boolean holds(Compare c) {
        return kv.read(txn -> Compares.holds(txn, c));
    }

    /** The key's field is 2 (version/create), 3 (mod), 0 (lease), "m" (value). */
    private static Compare operand(Compare.Builder c, long field, int delta) {
        return switch (c.getTarget()) {
            case VERSION -> c.setVersion(field + delta).build();
            case CREATE -> c.setCreateRevision(field + delta).build();
            case MOD -> c.setModRevision(field + delta).build();
            case LEASE -> c.setLease(field + delta).build();
            case VALUE -> c.setValue(b(String.valueOf((char) ('m' + delta)))).build();
            default -> throw new IllegalArgumentException();
        };
    }

    private static long field(CompareTarget t) {
        return switch (t) {
            case VERSION, CREATE -> 2;
            case MOD -> 3;
            default -> 0;
        };
    }

    @ParameterizedTest
    @EnumSource(value = CompareTarget.class, names = {"VERSION", "CREATE", "MOD", "VALUE", "LEASE"})
    void eachResultOnAPresentKey(CompareTarget target) {
        long f = field(target);
        for (int delta = -1; delta <= 1; delta++) {
            // operand = field + delta, so the key's field compares as -delta against it
            assertThat(holds(operand(cmp("k", target, CompareResult.EQUAL), f, delta))).isEqualTo(delta == 0);
            assertThat(holds(operand(cmp("k", target, CompareResult.NOT_EQUAL), f, delta))).isEqualTo(delta != 0);
            assertThat(holds(operand(cmp("k", target, CompareResult.GREATER), f, delta))).isEqualTo(delta < 0);
            assertThat(holds(operand(cmp("k", target, CompareResult.LESS), f, delta))).isEqualTo(delta > 0);
        }
    }

    @Test
    void aMissingKeyComparesAsZeroesExceptValueWhichAlwaysFails() {
        assertThat(holds(cmp("nope", CompareTarget.VERSION, CompareResult.EQUAL).setVersion(0).build())).isTrue();
        assertThat(holds(cmp("nope", CompareTarget.CREATE, CompareResult.EQUAL).setCreateRevision(0).build())).isTrue();
        assertThat(holds(cmp("nope", CompareTarget.MOD, CompareResult.LESS).setModRevision(1).build())).isTrue();
        assertThat(holds(cmp("nope", CompareTarget.LEASE, CompareResult.EQUAL).setLease(0).build())).isTrue();
        for (CompareResult result : new CompareResult[] {CompareResult.EQUAL, CompareResult.NOT_EQUAL,
                CompareResult.GREATER, CompareResult.LESS}) {
            assertThat(holds(cmp("nope", CompareTarget.VALUE, result).setValue(b("")).build()))
                    .as("VALUE %s on a missing key", result).isFalse();
        }
    }

    @Test
    void aRangeHoldsOnlyIfEveryKeyInItDoes() {
        Compare allCreated = cmp("r", CompareTarget.CREATE, CompareResult.GREATER).setCreateRevision(3)
                .setRangeEnd(b("s")).build();
        assertThat(holds(allCreated)).isTrue();
        Compare oneTooOld = cmp("r", CompareTarget.MOD, CompareResult.GREATER).setModRevision(4)
                .setRangeEnd(b("s")).build();
        assertThat(holds(oneTooOld)).as("r1 has mod 4").isFalse();
        Compare emptyRange = cmp("x", CompareTarget.VERSION, CompareResult.EQUAL).setVersion(0)
                .setRangeEnd(b("y")).build();
        assertThat(holds(emptyRange)).as("an empty range compares a zero kv").isTrue();
        Compare fromKey = cmp("r", CompareTarget.VERSION, CompareResult.EQUAL).setVersion(1)
                .setRangeEnd(b("\0")).build();
        assertThat(holds(fromKey)).as("range_end \\0: r1, r2 (k is below r)").isTrue();
    }

    @Test
    void oddOperandsAndUnknownEnums() {
        Compare versionWithModOperand = cmp("k", CompareTarget.VERSION, CompareResult.GREATER).setModRevision(100)
                .build();
        assertThat(holds(versionWithModOperand)).as("a mismatched operand counts as 0").isTrue();
        Compare valueWithoutOperand = cmp("k", CompareTarget.VALUE, CompareResult.GREATER).build();
        assertThat(holds(valueWithoutOperand)).as("no operand: the empty value").isTrue();
        Compare unknownResult = cmp("k", CompareTarget.VERSION, CompareResult.EQUAL).setResultValue(9)
                .setVersion(100).build();
        assertThat(holds(unknownResult)).as("an unknown result holds").isTrue();
        Compare unknownTarget = cmp("k", CompareTarget.VERSION, CompareResult.EQUAL).setTargetValue(9)
                .setVersion(100).build();
        assertThat(holds(unknownTarget)).as("an unknown target compares equal").isTrue();
    }
}
