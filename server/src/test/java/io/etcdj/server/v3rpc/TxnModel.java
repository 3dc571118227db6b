package io.etcdj.server.v3rpc;

import com.google.protobuf.ByteString;
import io.etcdj.api.etcdserverpb.Compare;
import io.etcdj.api.etcdserverpb.DeleteRangeRequest;
import io.etcdj.api.etcdserverpb.DeleteRangeResponse;
import io.etcdj.api.etcdserverpb.PutRequest;
import io.etcdj.api.etcdserverpb.PutResponse;
import io.etcdj.api.etcdserverpb.RangeRequest;
import io.etcdj.api.etcdserverpb.RangeResponse;
import io.etcdj.api.etcdserverpb.RequestOp;
import io.etcdj.api.etcdserverpb.ResponseHeader;
import io.etcdj.api.etcdserverpb.ResponseOp;
import io.etcdj.api.etcdserverpb.TxnRequest;
import io.etcdj.api.etcdserverpb.TxnResponse;
import io.etcdj.api.mvccpb.KeyValue;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * A deliberately simple model of etcd's KV for the latest revision: a sorted map of live keys and
 * a revision counter. Txns are modelled the way the etcd docs describe them, not the way the
 * applier is built: decide every branch on a snapshot, then run the ops on a copy that becomes the
 * state if anything was written. Keys are plain strings; puts carry no lease or ignore flags.
 */
final class TxnModel {
    private TreeMap<String, KeyValue> live = new TreeMap<>();
    private long revision = 1;
    /** A planted bug for the negative control: nested compares see the outer txn's writes. */
    private final boolean nestedSeesOuterWrites;

    TxnModel() {
        this(false);
    }

    TxnModel(boolean nestedSeesOuterWrites) {
        this.nestedSeesOuterWrites = nestedSeesOuterWrites;
    }

    /** The working state of one request. */
    private final class Work {
        final TreeMap<String, KeyValue> state = new TreeMap<>(live);
        boolean wrote;

        long readRevision() {
            return wrote ? revision + 1 : revision;
        }
    }

    PutResponse put(PutRequest r) {
        Work w = new Work();
        PutResponse response = put(w, r);
        commit(w);
        return response;
    }

    DeleteRangeResponse deleteRange(DeleteRangeRequest r) {
        Work w = new Work();
        DeleteRangeResponse response = delete(w, r);
        commit(w);
        return response;
    }

    RangeResponse range(RangeRequest r) {
        return range(new Work(), r);
    }

    TxnResponse txn(TxnRequest r) {
        TreeMap<String, KeyValue> before = new TreeMap<>(live);
        Work w = new Work();
        TxnResponse.Builder response = run(w, before, r);
        commit(w);
        return response.setHeader(ResponseHeader.newBuilder().setRevision(revision)).build();
    }

    private void commit(Work w) {
        if (w.wrote) {
            live = w.state;
            revision++;
        }
    }

    private TxnResponse.Builder run(Work w, TreeMap<String, KeyValue> before, TxnRequest r) {
        boolean ok = r.getCompareList().stream().allMatch(c -> holds(before, c));
        TxnResponse.Builder out = TxnResponse.newBuilder().setSucceeded(ok);
        for (RequestOp op : ok ? r.getSuccessList() : r.getFailureList()) {
            ResponseOp.Builder o = ResponseOp.newBuilder();
            switch (op.getRequestCase()) {
                case REQUEST_PUT -> o.setResponsePut(put(w, op.getRequestPut()));
                case REQUEST_DELETE_RANGE -> o.setResponseDeleteRange(delete(w, op.getRequestDeleteRange()));
                case REQUEST_RANGE -> o.setResponseRange(range(w, op.getRequestRange()));
                case REQUEST_TXN -> o.setResponseTxn(run(w, nestedSeesOuterWrites ? w.state : before, op.getRequestTxn())
                        .setHeader(ResponseHeader.getDefaultInstance()));
                default -> throw new IllegalArgumentException("empty op");
            }
            out.addResponses(o);
        }
        return out;
    }

    private PutResponse put(Work w, PutRequest r) {
        String key = r.getKey().toStringUtf8();
        KeyValue prev = w.state.get(key);
        long rev = revision + 1;
        w.state.put(key, KeyValue.newBuilder().setKey(r.getKey()).setValue(r.getValue())
                .setCreateRevision(prev == null ? rev : prev.getCreateRevision()).setModRevision(rev)
                .setVersion(prev == null ? 1 : prev.getVersion() + 1).build());
        w.wrote = true;
        PutResponse.Builder out = PutResponse.newBuilder().setHeader(ResponseHeader.newBuilder().setRevision(rev));
        if (r.getPrevKv() && prev != null) {
            out.setPrevKv(prev);
        }
        return out.build();
    }

    private DeleteRangeResponse delete(Work w, DeleteRangeRequest r) {
        List<KeyValue> gone = inRange(w.state, r.getKey(), r.getRangeEnd());
        for (KeyValue kv : gone) {
            w.state.remove(kv.getKey().toStringUtf8());
        }
        w.wrote |= !gone.isEmpty();
        DeleteRangeResponse.Builder out = DeleteRangeResponse.newBuilder().setDeleted(gone.size())
                .setHeader(ResponseHeader.newBuilder().setRevision(w.readRevision()));
        if (r.getPrevKv()) {
            out.addAllPrevKvs(gone);
        }
        return out.build();
    }

    private RangeResponse range(Work w, RangeRequest r) {
        List<KeyValue> kvs = inRange(w.state, r.getKey(), r.getRangeEnd());
        RangeResponse.Builder out = RangeResponse.newBuilder().setCount(kvs.size())
                .setHeader(ResponseHeader.newBuilder().setRevision(w.readRevision()));
        if (r.getLimit() > 0 && kvs.size() > r.getLimit()) {
            kvs = kvs.subList(0, (int) r.getLimit());
            out.setMore(true);
        }
        return out.addAllKvs(kvs).build();
    }

    private static boolean holds(TreeMap<String, KeyValue> state, Compare c) {
        List<KeyValue> kvs = inRange(state, c.getKey(), c.getRangeEnd());
        if (kvs.isEmpty()) {
            if (c.getTarget() == Compare.CompareTarget.VALUE) {
                return false;
            }
            kvs = List.of(KeyValue.getDefaultInstance());
        }
        for (KeyValue kv : kvs) {
            int order = switch (c.getTarget()) {
                case VERSION -> Long.compare(kv.getVersion(), c.getVersion());
                case CREATE -> Long.compare(kv.getCreateRevision(), c.getCreateRevision());
                case MOD -> Long.compare(kv.getModRevision(), c.getModRevision());
                case VALUE -> kv.getValue().toStringUtf8().compareTo(c.getValue().toStringUtf8());
                default -> throw new IllegalArgumentException("target " + c.getTarget());
            };
            boolean ok = switch (c.getResult()) {
                case EQUAL -> order == 0;
                case NOT_EQUAL -> order != 0;
                case GREATER -> order > 0;
                case LESS -> order < 0;
                default -> throw new IllegalArgumentException("result " + c.getResult());
            };
            if (!ok) {
                return false;
            }
        }
        return true;
    }

    /** Keys are ASCII letters here, so String order is etcd's byte order. */
    private static List<KeyValue> inRange(TreeMap<String, KeyValue> state, ByteString key, ByteString end) {
        String from = key.toStringUtf8();
        Map<String, KeyValue> hits;
        if (end.isEmpty()) {
            KeyValue kv = state.get(from);
            return kv == null ? List.of() : List.of(kv);
        } else if (end.equals(ByteString.copyFrom(new byte[] {0}))) {
            hits = state.tailMap(from, true);
        } else if (end.toStringUtf8().compareTo(from) <= 0) {
            return List.of();
        } else {
            hits = state.subMap(from, end.toStringUtf8());
        }
        return new ArrayList<>(hits.values());
    }
}
