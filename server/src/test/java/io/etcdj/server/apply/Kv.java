package io.etcdj.server.apply;

import com.google.protobuf.ByteString;
import io.etcdj.api.etcdserverpb.Compare;
import io.etcdj.api.etcdserverpb.DeleteRangeRequest;
import io.etcdj.api.etcdserverpb.PutRequest;
import io.etcdj.api.etcdserverpb.RangeRequest;
import io.etcdj.api.etcdserverpb.RequestOp;
import io.etcdj.api.etcdserverpb.TxnRequest;

/** Short builders for KV requests in tests. */
public final class Kv {
    private Kv() {
    }

    public static ByteString b(String s) {
        return ByteString.copyFromUtf8(s);
    }

    public static PutRequest put(String key, String value) {
        return PutRequest.newBuilder().setKey(b(key)).setValue(b(value)).build();
    }

    public static RangeRequest get(String key) {
        return RangeRequest.newBuilder().setKey(b(key)).build();
    }

    public static RangeRequest range(String key, String end) {
        return RangeRequest.newBuilder().setKey(b(key)).setRangeEnd(b(end)).build();
    }

    public static DeleteRangeRequest del(String key) {
        return DeleteRangeRequest.newBuilder().setKey(b(key)).build();
    }

    public static DeleteRangeRequest del(String key, String end) {
        return DeleteRangeRequest.newBuilder().setKey(b(key)).setRangeEnd(b(end)).build();
    }

    public static RequestOp op(PutRequest r) {
        return RequestOp.newBuilder().setRequestPut(r).build();
    }

    public static RequestOp op(RangeRequest r) {
        return RequestOp.newBuilder().setRequestRange(r).build();
    }

    public static RequestOp op(DeleteRangeRequest r) {
        return RequestOp.newBuilder().setRequestDeleteRange(r).build();
    }

    public static RequestOp op(TxnRequest r) {
        return RequestOp.newBuilder().setRequestTxn(r).build();
    }

    public static Compare.Builder cmp(String key, Compare.CompareTarget target, Compare.CompareResult result) {
        return Compare.newBuilder().setKey(b(key)).setTarget(target).setResult(result);
    }

    public static Compare version(String key, Compare.CompareResult result, long v) {
        return cmp(key, Compare.CompareTarget.VERSION, result).setVersion(v).build();
    }

    public static Compare value(String key, Compare.CompareResult result, String v) {
        return cmp(key, Compare.CompareTarget.VALUE, result).setValue(b(v)).build();
    }
}
