package io.etcdj.server.apply;

import io.etcdj.api.etcdserverpb.RequestOp;
import io.etcdj.api.etcdserverpb.TxnRequest;
import io.etcdj.server.mvcc.TxnRead;
import java.util.List;

/**
 * Which branch a Txn takes, and recursively which branch each nested Txn of that branch takes
 * (etcd's flattened {@code txnPath}, kept as a tree). etcd decides every branch, nested ones
 * included, on the store as it was before the txn's first write: a nested compare does not see
 * the writes its enclosing txn made before it.
 *
 * @param succeeded whether the compares held (the success branch runs)
 * @param ops       the ops of the branch taken, in request order
 * @param nested    for each op that is a Txn, its plan; null at the other indexes
 */
record TxnPlan(boolean succeeded, List<RequestOp> ops, TxnPlan[] nested) {

    static TxnPlan decide(TxnRead view, TxnRequest r) {
        boolean succeeded = Compares.all(view, r.getCompareList());
        List<RequestOp> ops = succeeded ? r.getSuccessList() : r.getFailureList();
        TxnPlan[] nested = new TxnPlan[ops.size()];
        for (int i = 0; i < ops.size(); i++) {
            if (ops.get(i).getRequestCase() == RequestOp.RequestCase.REQUEST_TXN) {
                nested[i] = decide(view, ops.get(i).getRequestTxn());
            }
        }
        return new TxnPlan(succeeded, ops, nested);
    }
}
