package io.etcdj.server.apply;

import io.etcdj.api.etcdserverpb.CompactionRequest;
import io.etcdj.api.etcdserverpb.CompactionResponse;
import io.etcdj.api.etcdserverpb.DeleteRangeRequest;
import io.etcdj.api.etcdserverpb.DeleteRangeResponse;
import io.etcdj.api.etcdserverpb.PutRequest;
import io.etcdj.api.etcdserverpb.PutResponse;
import io.etcdj.api.etcdserverpb.RangeRequest;
import io.etcdj.api.etcdserverpb.RangeResponse;
import io.etcdj.api.etcdserverpb.ResponseHeader;
import io.etcdj.api.etcdserverpb.TxnRequest;
import io.etcdj.api.etcdserverpb.TxnResponse;
import io.etcdj.server.etcdserver.KvServer;
import io.etcdj.server.mvcc.MvccStore;
import io.etcdj.server.mvcc.TxnRead;
import io.etcdj.server.mvcc.TxnWrite;
import io.etcdj.server.storage.backend.Backend;
import io.etcdj.server.storage.backend.BackendConfig;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;

/**
 * A test-only {@link KvServer}: one member, no raft. Each write is applied at once in its own
 * write txn on the calling thread with a made-up consistent index (what the apply thread does for
 * a committed entry), reads and read-only txns read the store directly. Headers carry only the
 * revision; cluster, member and term stay 0. Good enough to hold the applier and the gRPC service
 * against a real single-member etcd.
 */
public final class SingleMemberKv implements KvServer, AutoCloseable {
    private final Backend backend;
    private final MvccStore store;
    private final KvApplier applier;
    private long appliedIndex;

    public SingleMemberKv(Path dir, LeaseLookup leases) {
        this.backend = Backend.open(BackendConfig.defaults(dir.resolve("member/snap/db")));
        this.store = MvccStore.open(backend);
        this.applier = new KvApplier(leases, store::compactRevision);
    }

    public MvccStore store() {
        return store;
    }

    public KvApplier applier() {
        return applier;
    }

    /** Applies one write like a committed entry; a failed request ends its (untouched) txn. */
    public synchronized <T> T apply(Function<TxnWrite, T> op) {
        TxnWrite txn = store.write();
        try {
            txn.setConsistentIndex(++appliedIndex, 1);
            return op.apply(txn);
        } finally {
            txn.end();
        }
    }

    public <T> T read(Function<TxnRead, T> op) {
        try (TxnRead txn = store.read()) {
            return op.apply(txn);
        }
    }

    public PutResponse putNow(PutRequest r) {
        return apply(txn -> applier.put(txn, r));
    }

    @Override
    public CompletableFuture<RangeResponse> range(RangeRequest request) {
        return call(() -> read(txn -> applier.range(txn, request)));
    }

    @Override
    public CompletableFuture<PutResponse> put(PutRequest request) {
        return call(() -> apply(txn -> applier.put(txn, request)));
    }

    @Override
    public CompletableFuture<DeleteRangeResponse> deleteRange(DeleteRangeRequest request) {
        return call(() -> apply(txn -> applier.deleteRange(txn, request)));
    }

    @Override
    public CompletableFuture<TxnResponse> txn(TxnRequest request) {
        if (KvApplier.isReadOnly(request)) {
            return call(() -> read(txn -> applier.readOnlyTxn(txn, request)));
        }
        return call(() -> apply(txn -> applier.txn(txn, request)));
    }

    @Override
    public CompletableFuture<CompactionResponse> compact(CompactionRequest request) {
        return call(() -> {
            store.compact(request.getRevision()).join();
            return CompactionResponse.newBuilder()
                    .setHeader(ResponseHeader.newBuilder().setRevision(store.currentRevision())).build();
        });
    }

    private static <T> CompletableFuture<T> call(java.util.function.Supplier<T> op) {
        try {
            return CompletableFuture.completedFuture(op.get());
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(e);
        }
    }

    @Override
    public void close() {
        store.close();
        backend.close();
    }
}
