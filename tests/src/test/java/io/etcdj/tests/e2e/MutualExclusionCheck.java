package io.etcdj.tests.e2e;

import io.etcd.jetcd.ByteSequence;
import io.etcd.jetcd.KV;
import io.etcd.jetcd.KeyValue;
import io.etcd.jetcd.op.Cmp;
import io.etcd.jetcd.op.CmpTarget;
import io.etcd.jetcd.op.Op;
import io.etcd.jetcd.options.DeleteOption;
import io.etcd.jetcd.options.GetOption;
import io.etcd.jetcd.options.PutOption;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Judges a run of lock holders from what they left in the store under {@code <prefix>/}. Each
 * turn in the critical section (see {@link #TURN_SCRIPT}) claims {@code inside} only if nobody is
 * in, does an unguarded read-modify-write of {@code counter}, records its fencing token
 * ({@code ETCD_LOCK_REV}) under {@code fence/} in a txn guarded on its lock key still existing,
 * and leaves only if {@code inside} is still its own; every failed guard is written under
 * {@code violation/}. Two holders at once show up as a violation, a lost counter update, or a
 * token not above the revision of the previous holder's fence entry.
 */
final class MutualExclusionCheck {
    /** One turn in the critical section, in POSIX sh, for etcdctl lock to run. */
    static final String TURN_SCRIPT = """
            C="$ETCDCTL --endpoints=$EP --dial-timeout=5s --command-timeout=10s"
            tx() { printf '%s\\n\\n%s\\n\\n%s\\n\\n' "$1" "$2" "$3" | $C txn > /dev/null; }
            tx "create(\\"$P/inside\\") = \\"0\\"" "put $P/inside $ETCD_LOCK_KEY" \\
               "put $P/violation/overlap-$ETCD_LOCK_REV $ETCD_LOCK_KEY"
            n=$($C get "$P/counter" --print-value-only)
            sleep 0.3
            $C put "$P/counter" "$(( ${n:-0} + 1 ))" > /dev/null
            tx "create(\\"$ETCD_LOCK_KEY\\") > \\"0\\"" "put $P/fence/$ETCD_LOCK_REV $ETCD_LOCK_KEY" \\
               "put $P/violation/lost-$ETCD_LOCK_REV $ETCD_LOCK_KEY"
            tx "val(\\"$P/inside\\") = \\"$ETCD_LOCK_KEY\\"" "del $P/inside" \\
               "put $P/violation/exit-$ETCD_LOCK_REV $ETCD_LOCK_KEY"
            """;
    private static final long TIMEOUT_SECONDS = 30;

    private MutualExclusionCheck() {
    }

    /**
     * The same turn as {@link #TURN_SCRIPT}, through jetcd, for a holder of lock key {@code lockKey}
     * whose fencing token is {@code token}.
     */
    static void takeTurn(KV kv, String prefix, String lockKey, long token) throws Exception {
        ByteSequence inside = bytes(prefix + "/inside");
        ByteSequence key = bytes(lockKey);
        guarded(kv, new Cmp(inside, Cmp.Op.EQUAL, CmpTarget.createRevision(0)),
                Op.put(inside, key, PutOption.DEFAULT), violation(prefix, "overlap-", token, key));
        List<KeyValue> counter = under(kv, prefix + "/counter");
        long count = counter.isEmpty() ? 0 : Long.parseLong(text(counter.get(0).getValue()));
        kv.put(bytes(prefix + "/counter"), bytes(Long.toString(count + 1))).get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
        guarded(kv, new Cmp(key, Cmp.Op.GREATER, CmpTarget.createRevision(0)),
                Op.put(bytes(prefix + "/fence/" + token), key, PutOption.DEFAULT), violation(prefix, "lost-", token, key));
        guarded(kv, new Cmp(inside, Cmp.Op.EQUAL, CmpTarget.value(key)),
                Op.delete(inside, DeleteOption.DEFAULT), violation(prefix, "exit-", token, key));
    }

    private static Op violation(String prefix, String kind, long token, ByteSequence key) {
        return Op.put(bytes(prefix + "/violation/" + kind + token), key, PutOption.DEFAULT);
    }

    private static void guarded(KV kv, Cmp guard, Op then, Op otherwise) throws Exception {
        kv.txn().If(guard).Then(then).Else(otherwise).commit().get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
    }

    /** Every way the run under {@code prefix} broke mutual exclusion; empty if it did not. */
    static List<String> problems(KV kv, String prefix, int turns) throws Exception {
        List<String> problems = new ArrayList<>();
        for (KeyValue v : under(kv, prefix + "/violation/")) {
            problems.add("violation " + text(v.getKey()) + " by " + text(v.getValue()));
        }
        List<KeyValue> counter = under(kv, prefix + "/counter");
        long count = counter.isEmpty() ? 0 : Long.parseLong(text(counter.get(0).getValue()));
        if (count != turns) {
            problems.add("counter " + count + " after " + turns + " turns (lost updates)");
        }
        if (!under(kv, prefix + "/inside").isEmpty()) {
            problems.add("someone is still inside");
        }
        List<KeyValue> fences = new ArrayList<>(under(kv, prefix + "/fence/"));
        if (fences.size() != turns) {
            problems.add(fences.size() + " fence entries after " + turns + " turns");
        }
        fences.sort(Comparator.comparingLong(KeyValue::getModRevision));
        for (int i = 1; i < fences.size(); i++) {
            long token = token(fences.get(i), prefix);
            long previousWrite = fences.get(i - 1).getModRevision();
            if (token <= previousWrite) {
                problems.add("token " + token + " of " + text(fences.get(i).getValue())
                        + " is not above the previous holder's fence write at " + previousWrite);
            }
        }
        return problems;
    }

    private static long token(KeyValue fence, String prefix) {
        return Long.parseLong(text(fence.getKey()).substring((prefix + "/fence/").length()));
    }

    private static List<KeyValue> under(KV kv, String prefix) throws Exception {
        return kv.get(bytes(prefix), GetOption.builder().isPrefix(true).build())
                .get(TIMEOUT_SECONDS, TimeUnit.SECONDS).getKvs();
    }

    static ByteSequence bytes(String s) {
        return ByteSequence.from(s, StandardCharsets.UTF_8);
    }

    static String text(ByteSequence b) {
        return b.toString(StandardCharsets.UTF_8);
    }
}
