package io.etcdj.server.v3rpc;

import static io.etcdj.server.apply.Kv.b;
import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.Message;
import io.etcdj.api.etcdserverpb.Compare;
import io.etcdj.api.etcdserverpb.DeleteRangeRequest;
import io.etcdj.api.etcdserverpb.PutRequest;
import io.etcdj.api.etcdserverpb.RangeRequest;
import io.etcdj.api.etcdserverpb.RequestOp;
import io.etcdj.api.etcdserverpb.TxnRequest;
import io.etcdj.server.apply.LeaseLookup;
import io.etcdj.server.apply.SingleMemberKv;
import io.grpc.StatusRuntimeException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.Random;
import java.util.stream.Stream;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;

/**
 * The applier against {@link TxnModel} over random histories of puts, deletes, ranges and txns
 * (compares on keys and ranges, nested txns) on five keys, each request first put through the
 * v3rpc checks as a server would. Two stores fed the same history must also end with the same
 * HashKV (apply is deterministic).
 */
class TxnModelPropertyTest {
    private static final String[] KEYS = {"a", "b", "c", "d", "e"};
    private static final String[] VALUES = {"", "x", "y"};

    @Property(tries = 25)
    void applierAnswersLikeTheModel(@ForAll long seed, @ForAll @IntRange(min = 5, max = 60) int steps)
            throws Exception {
        assertThat(firstMismatch(seed, steps, new TxnModel(), true)).isNull();
    }

    /** Negative control: a model whose nested compares see the outer writes must be caught. */
    @Example
    void aPlantedModelBugIsCaught() throws Exception {
        String mismatch = null;
        for (long seed = 1; seed <= 40 && mismatch == null; seed++) {
            mismatch = firstMismatch(seed, 60, new TxnModel(true), false);
        }
        assertThat(mismatch).isNotNull();
    }

    /** Runs a seeded history on the applier and the model; the first differing step, or null. */
    private static String firstMismatch(long seed, int steps, TxnModel model, boolean withTwin) throws Exception {
        Path dir = Files.createTempDirectory("kv-model");
        Random random = new Random(seed);
        try (SingleMemberKv kv = new SingleMemberKv(dir.resolve("one"), LeaseLookup.NONE);
                SingleMemberKv twin = withTwin ? new SingleMemberKv(dir.resolve("two"), LeaseLookup.NONE) : null) {
            for (int i = 0; i < steps; i++) {
                Message request = request(random);
                if (!valid(request)) {
                    continue;
                }
                Message expected = switch (request) {
                    case PutRequest p -> model.put(p);
                    case DeleteRangeRequest d -> model.deleteRange(d);
                    case RangeRequest r -> model.range(r);
                    case TxnRequest t -> model.txn(t);
                    default -> throw new IllegalStateException();
                };
                Message actual = apply(kv, request);
                if (!actual.equals(expected)) {
                    return "seed " + seed + " step " + i + ": " + request + "\nmodel: " + expected + "\nours: " + actual;
                }
                if (twin != null) {
                    apply(twin, request);
                }
            }
            if (twin != null) {
                assertThat(kv.store().hashByRevision(0)).as("same history, same HashKV")
                        .isEqualTo(twin.store().hashByRevision(0));
            }
            return null;
        } finally {
            try (Stream<Path> paths = Files.walk(dir)) {
                for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
                    Files.deleteIfExists(p);
                }
            }
        }
    }

    private static boolean valid(Message request) {
        try {
            if (request instanceof TxnRequest t) {
                KvRequestChecks.checkTxn(t, KvLimits.DEFAULT_MAX_TXN_OPS);
            }
            return true;
        } catch (StatusRuntimeException e) {
            return false; // duplicate keys: refused before the applier, as a server would
        }
    }

    private static Message apply(SingleMemberKv kv, Message request) {
        return switch (request) {
            case PutRequest p -> kv.apply(txn -> kv.applier().put(txn, p));
            case DeleteRangeRequest d -> kv.apply(txn -> kv.applier().deleteRange(txn, d));
            case RangeRequest r -> kv.read(txn -> kv.applier().range(txn, r));
            case TxnRequest t -> kv.apply(txn -> kv.applier().txn(txn, t));
            default -> throw new IllegalStateException();
        };
    }

    private static Message request(Random random) {
        return switch (random.nextInt(5)) {
            case 0 -> put(random);
            case 1 -> delete(random);
            case 2 -> range(random);
            default -> txn(random, 2);
        };
    }

    private static String key(Random random) {
        return KEYS[random.nextInt(KEYS.length)];
    }

    private static String end(Random random) {
        return switch (random.nextInt(3)) {
            case 0 -> "\0";
            case 1 -> KEYS[random.nextInt(KEYS.length)];
            default -> "";
        };
    }

    private static PutRequest put(Random random) {
        return PutRequest.newBuilder().setKey(b(key(random))).setValue(b(VALUES[random.nextInt(VALUES.length)]))
                .setPrevKv(random.nextBoolean()).build();
    }

    private static DeleteRangeRequest delete(Random random) {
        return DeleteRangeRequest.newBuilder().setKey(b(key(random))).setRangeEnd(b(end(random)))
                .setPrevKv(random.nextBoolean()).build();
    }

    private static RangeRequest range(Random random) {
        return RangeRequest.newBuilder().setKey(b(key(random))).setRangeEnd(b(end(random)))
                .setLimit(random.nextInt(4)).build();
    }

    private static Compare compare(Random random) {
        Compare.Builder c = Compare.newBuilder().setKey(b(key(random)))
                .setResult(Compare.CompareResult.forNumber(random.nextInt(4)));
        if (random.nextInt(3) == 0) {
            c.setRangeEnd(b(end(random)));
        }
        switch (random.nextInt(4)) {
            case 0 -> c.setTarget(Compare.CompareTarget.VERSION).setVersion(random.nextInt(3));
            case 1 -> c.setTarget(Compare.CompareTarget.CREATE).setCreateRevision(random.nextInt(8));
            case 2 -> c.setTarget(Compare.CompareTarget.MOD).setModRevision(random.nextInt(8));
            default -> c.setTarget(Compare.CompareTarget.VALUE).setValue(b(VALUES[random.nextInt(VALUES.length)]));
        }
        return c.build();
    }

    private static TxnRequest txn(Random random, int depth) {
        TxnRequest.Builder t = TxnRequest.newBuilder();
        for (int i = random.nextInt(3); i > 0; i--) {
            t.addCompare(compare(random));
        }
        for (int i = random.nextInt(4); i > 0; i--) {
            t.addSuccess(op(random, depth));
        }
        for (int i = random.nextInt(3); i > 0; i--) {
            t.addFailure(op(random, depth));
        }
        return t.build();
    }

    private static RequestOp op(Random random, int depth) {
        RequestOp.Builder op = RequestOp.newBuilder();
        switch (random.nextInt(depth > 0 ? 4 : 3)) {
            case 0 -> op.setRequestPut(put(random));
            case 1 -> op.setRequestDeleteRange(delete(random));
            case 2 -> op.setRequestRange(range(random));
            default -> op.setRequestTxn(txn(random, depth - 1));
        }
        return op.build();
    }
}
