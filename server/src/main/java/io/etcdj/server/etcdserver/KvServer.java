package io.etcdj.server.etcdserver;

import io.etcdj.api.etcdserverpb.CompactionRequest;
import io.etcdj.api.etcdserverpb.CompactionResponse;
import io.etcdj.api.etcdserverpb.DeleteRangeRequest;
import io.etcdj.api.etcdserverpb.DeleteRangeResponse;
import io.etcdj.api.etcdserverpb.PutRequest;
import io.etcdj.api.etcdserverpb.PutResponse;
import io.etcdj.api.etcdserverpb.RangeRequest;
import io.etcdj.api.etcdserverpb.RangeResponse;
import io.etcdj.api.etcdserverpb.TxnRequest;
import io.etcdj.api.etcdserverpb.TxnResponse;
import java.util.concurrent.CompletableFuture;

/**
 * What the gRPC KV service needs from the server core, for requests that have already passed
 * shape validation ({@code v3rpc}). Writes go through raft and are answered once applied;
 * linearizable reads wait for a ReadIndex round and the apply of everything before it;
 * serializable reads are served from the local store at once.
 *
 * <p>Every response carries a complete header ({@code cluster_id}, {@code member_id},
 * {@code revision}, {@code raft_term}). Failures complete the future exceptionally with the
 * {@link io.grpc.StatusRuntimeException} of the matching {@link io.etcdj.api.rpctypes.EtcdError}.
 */
public interface KvServer {

    CompletableFuture<RangeResponse> range(RangeRequest request);

    CompletableFuture<PutResponse> put(PutRequest request);

    CompletableFuture<DeleteRangeResponse> deleteRange(DeleteRangeRequest request);

    CompletableFuture<TxnResponse> txn(TxnRequest request);

    CompletableFuture<CompactionResponse> compact(CompactionRequest request);
}
