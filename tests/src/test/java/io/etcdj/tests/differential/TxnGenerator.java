package io.etcdj.tests.differential;

import com.google.protobuf.ByteString;
import io.etcdj.api.etcdserverpb.Compare;
import io.etcdj.api.etcdserverpb.DeleteRangeRequest;
import io.etcdj.api.etcdserverpb.PutRequest;
import io.etcdj.api.etcdserverpb.RangeRequest;
import io.etcdj.api.etcdserverpb.RequestOp;
import io.etcdj.api.etcdserverpb.TxnRequest;
import java.util.HashSet;
import java.util.Set;
import java.util.SplittableRandom;

/**
 * Random transactions: every compare target and result, range compares, both branches, nested
 * transactions, and now and then the invalid ones etcd refuses (a key written twice, more
 * operations than {@code --max-txn-ops}).
 */
final class TxnGenerator {

    /** etcd's default --max-txn-ops; one more is refused. */
    private static final int MAX_TXN_OPS = 128;
    private static final int MAX_NESTING = 2;

    private final SplittableRandom random;
    private final KeySpace keys;
    private final KvRequestGenerator requests;

    TxnGenerator(SplittableRandom random, KeySpace keys, KvRequestGenerator requests) {
        this.random = random;
        this.keys = keys;
        this.requests = requests;
    }

    TxnRequest txn() {
        if (random.nextInt(100) == 0) {
            return tooManyOps();
        }
        // Most transactions write distinct keys, or etcd refuses them as duplicates and the
        // run would test little else; one in ten is left free to collide.
        Set<ByteString> written = random.nextInt(10) == 0 ? null : new HashSet<>();
        return txn(0, written);
    }

    private TxnRequest txn(int depth, Set<ByteString> written) {
        TxnRequest.Builder txn = TxnRequest.newBuilder();
        int compares = random.nextInt(4);
        for (int i = 0; i < compares; i++) {
            txn.addCompare(compare());
        }
        int successOps = random.nextInt(4);
        for (int i = 0; i < successOps; i++) {
            txn.addSuccess(op(depth, written));
        }
        int failureOps = random.nextInt(4);
        for (int i = 0; i < failureOps; i++) {
            txn.addFailure(op(depth, written));
        }
        return txn.build();
    }

    Compare compare() {
        Compare.Builder compare = Compare.newBuilder()
                .setKey(keys.key())
                .setResultValue(random.nextInt(4));
        if (random.nextInt(5) == 0) {
            ByteString[] range = keys.range();
            if (!range[0].isEmpty()) {
                compare.setKey(range[0]).setRangeEnd(range[1]);
            }
        }
        long head = requests.headRevision();
        switch (random.nextInt(5)) {
            case 0 -> compare.setTarget(Compare.CompareTarget.VERSION).setVersion(random.nextInt(4));
            case 1 -> compare.setTarget(Compare.CompareTarget.CREATE).setCreateRevision(random.nextLong(head + 2));
            case 2 -> compare.setTarget(Compare.CompareTarget.MOD).setModRevision(random.nextLong(head + 2));
            case 3 -> compare.setTarget(Compare.CompareTarget.VALUE).setValue(keys.value());
            default -> compare.setTarget(Compare.CompareTarget.LEASE).setLease(random.nextInt(4) == 0 ? 5 : 0);
        }
        return compare.build();
    }

    private RequestOp op(int depth, Set<ByteString> written) {
        int kind = random.nextInt(10);
        if (kind < 3) {
            return RequestOp.newBuilder().setRequestRange(requests.range()).build();
        } else if (kind < 7) {
            PutRequest put = requests.put();
            if (written != null && !written.add(put.getKey())) {
                return RequestOp.newBuilder().setRequestRange(singleKey(put.getKey())).build();
            }
            return RequestOp.newBuilder().setRequestPut(put).build();
        } else if (kind < 9 || depth >= MAX_NESTING) {
            DeleteRangeRequest delete = written == null ? requests.deleteRange() : singleKeyDelete(written);
            return delete == null
                    ? RequestOp.newBuilder().setRequestRange(requests.range()).build()
                    : RequestOp.newBuilder().setRequestDeleteRange(delete).build();
        }
        return RequestOp.newBuilder().setRequestTxn(txn(depth + 1, written)).build();
    }

    /** A delete of one key not yet written in this transaction, or null if none is left. */
    private DeleteRangeRequest singleKeyDelete(Set<ByteString> written) {
        ByteString key = keys.key();
        if (!written.add(key)) {
            return null;
        }
        return DeleteRangeRequest.newBuilder().setKey(key).setPrevKv(random.nextBoolean()).build();
    }

    private static RangeRequest singleKey(ByteString key) {
        return RangeRequest.newBuilder().setKey(key).build();
    }

    private TxnRequest tooManyOps() {
        TxnRequest.Builder txn = TxnRequest.newBuilder();
        for (int i = 0; i <= MAX_TXN_OPS; i++) {
            txn.addSuccess(RequestOp.newBuilder().setRequestRange(singleKey(keys.key())));
        }
        return txn.build();
    }
}
