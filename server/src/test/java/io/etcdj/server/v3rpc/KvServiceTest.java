package io.etcdj.server.v3rpc;

import static io.etcdj.server.apply.Kv.b;
import static io.etcdj.server.apply.Kv.get;
import static io.etcdj.server.apply.Kv.op;
import static io.etcdj.server.apply.Kv.put;
import static io.etcdj.server.apply.Kv.range;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.google.protobuf.ByteString;
import io.etcdj.api.etcdserverpb.CompactionRequest;
import io.etcdj.api.etcdserverpb.KVGrpc;
import io.etcdj.api.etcdserverpb.PutRequest;
import io.etcdj.api.etcdserverpb.RangeRequest;
import io.etcdj.api.etcdserverpb.RangeResponse;
import io.etcdj.api.etcdserverpb.RangeStreamResponse;
import io.etcdj.api.etcdserverpb.TxnRequest;
import io.etcdj.api.rpctypes.EtcdError;
import io.etcdj.server.apply.LeaseLookup;
import io.etcdj.server.apply.SingleMemberKv;
import io.etcdj.server.etcdserver.KvServer;
import io.grpc.ManagedChannel;
import io.grpc.Server;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.ManagedChannelBuilder;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import java.net.InetSocketAddress;
import java.lang.reflect.Proxy;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The gRPC service end to end (loopback gRPC): checks, size limit, error relay, RangeStream. */
class KvServiceTest {
    @TempDir
    Path dir;
    private final List<AutoCloseable> open = new ArrayList<>();
    private Server server;
    private ManagedChannel channel;

    private KVGrpc.KVBlockingStub start(KvServer kv, KvLimits limits) throws Exception {
        server = NettyServerBuilder.forAddress(new InetSocketAddress("127.0.0.1", 0))
                .addService(new KvService(kv, limits)).build().start();
        channel = ManagedChannelBuilder.forAddress("127.0.0.1", server.getPort()).usePlaintext().build();
        return KVGrpc.newBlockingStub(channel).withDeadlineAfter(30, TimeUnit.SECONDS);
    }

    private SingleMemberKv store() {
        SingleMemberKv kv = new SingleMemberKv(dir, LeaseLookup.NONE);
        open.add(kv);
        return kv;
    }

    @AfterEach
    void stop() throws Exception {
        if (channel != null) {
            channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
        }
        if (server != null) {
            server.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
        }
        for (AutoCloseable c : open) {
            c.close();
        }
    }

    static void assertEtcdError(Runnable call, EtcdError expected) {
        StatusRuntimeException e = catchThrowableOfType(StatusRuntimeException.class, call::run);
        assertThat(e).as("expected " + expected).isNotNull();
        assertThat(e.getStatus().getCode()).isEqualTo(expected.code());
        assertThat(e.getStatus().getDescription()).isEqualTo(expected.message());
    }

    @Test
    void checksAndApplierErrorsReachTheClientVerbatim() throws Exception {
        KVGrpc.KVBlockingStub kv = start(store(), KvLimits.DEFAULTS);
        assertThat(kv.put(put("k", "v")).getHeader().getRevision()).isEqualTo(2);
        assertEtcdError(() -> kv.put(put("", "v")), EtcdError.EMPTY_KEY);
        assertEtcdError(() -> kv.range(get("k").toBuilder().setSortOrderValue(5).build()), EtcdError.INVALID_SORT_OPTION);
        assertEtcdError(() -> kv.put(put("k", "v").toBuilder().setLease(5).build()), EtcdError.LEASE_NOT_FOUND);
        assertEtcdError(() -> kv.range(get("k").toBuilder().setRevision(9).build()), EtcdError.FUTURE_REV);
        assertEtcdError(() -> kv.txn(TxnRequest.newBuilder().addSuccess(op(put("a", "1")))
                .addSuccess(op(put("a", "2"))).build()), EtcdError.DUPLICATE_KEY);
        assertEtcdError(() -> kv.compact(CompactionRequest.newBuilder().setRevision(10).build()), EtcdError.FUTURE_REV);
        assertThat(kv.range(get("k")).getKvs(0).getValue()).isEqualTo(b("v"));
    }

    @Test
    void writesOverMaxRequestBytesAreRefusedAndReadsAreNot() throws Exception {
        long limit = 1000;
        KVGrpc.KVBlockingStub kv = start(store(), new KvLimits(128, limit));
        // 14 header bytes + field tag + length varint (2) + put body must fit in 1000.
        int fits = (int) limit - 14 - 1 - 2 - 2 - 1 - 2 - 1; // key tag+len+"k", value tag + 2-byte length
        PutRequest atLimit = PutRequest.newBuilder().setKey(b("k")).setValue(ByteString.copyFrom(new byte[fits])).build();
        assertThat(RaftRequestSize.of(RaftRequestSize.PUT_FIELD, atLimit)).isEqualTo(limit);
        assertThat(kv.put(atLimit).getHeader().getRevision()).isEqualTo(2);
        PutRequest over = atLimit.toBuilder().setValue(ByteString.copyFrom(new byte[fits + 1])).build();
        assertEtcdError(() -> kv.put(over), EtcdError.REQUEST_TOO_LARGE);
        TxnRequest bigWrite = TxnRequest.newBuilder().addSuccess(op(over)).build();
        assertEtcdError(() -> kv.txn(bigWrite), EtcdError.REQUEST_TOO_LARGE);
        RangeRequest bigKey = RangeRequest.newBuilder().setKey(ByteString.copyFrom(new byte[2000])).build();
        assertThat(kv.range(bigKey).getCount()).as("ranges do not go through raft").isZero();
        TxnRequest bigRead = TxnRequest.newBuilder().addSuccess(op(bigKey)).build();
        assertThat(kv.txn(bigRead).getSucceeded()).as("nor do read-only txns").isTrue();
    }

    @Test
    void serverFailuresMapLikeEtcdsToGrpcError() throws Exception {
        KvServer failing = (KvServer) Proxy.newProxyInstance(KvServer.class.getClassLoader(),
                new Class<?>[] {KvServer.class}, (proxy, method, args) -> switch (method.getName()) {
                    case "range" -> CompletableFuture.failedFuture(new io.etcdj.server.mvcc.CompactedException(1, 3));
                    case "put" -> CompletableFuture.failedFuture(new IllegalStateException("disk on fire"));
                    case "deleteRange" -> throw EtcdError.NO_LEADER.asException();
                    default -> CompletableFuture.failedFuture(Status.UNAVAILABLE.asException());
                });
        KVGrpc.KVBlockingStub kv = start(failing, KvLimits.DEFAULTS);
        assertEtcdError(() -> kv.range(get("k")), EtcdError.COMPACTED);
        assertEtcdError(() -> kv.deleteRange(io.etcdj.server.apply.Kv.del("k")), EtcdError.NO_LEADER);
        StatusRuntimeException unknown = catchThrowableOfType(StatusRuntimeException.class, () -> kv.put(put("k", "v")));
        assertThat(unknown.getStatus().getCode()).isEqualTo(Status.Code.UNKNOWN);
        assertThat(unknown.getStatus().getDescription()).isEqualTo("disk on fire");
    }

    @Test
    void rangeStreamMergesToTheUnaryAnswer() throws Exception {
        SingleMemberKv store = store();
        for (int i = 0; i < 40; i++) {
            store.putNow(put(String.format("s/%02d", i), "x".repeat(90)));
        }
        KVGrpc.KVBlockingStub kv = start(store, new KvLimits(128, 1000));
        RangeRequest request = range("s/", "s0").toBuilder().setLimit(30).build();
        RangeResponse unary = kv.range(request);
        List<RangeStreamResponse> chunks = new ArrayList<>();
        for (Iterator<RangeStreamResponse> it = kv.rangeStream(request); it.hasNext(); ) {
            chunks.add(it.next());
        }
        assertThat(chunks.size()).as("about 1000 bytes a chunk").isBetween(3, 5);
        RangeResponse.Builder merged = RangeResponse.newBuilder();
        for (int i = 0; i < chunks.size(); i++) {
            RangeResponse part = chunks.get(i).getRangeResponse();
            if (i < chunks.size() - 1) {
                assertThat(part.hasHeader() || part.getMore() || part.getCount() != 0).isFalse();
            }
            merged.mergeFrom(part);
        }
        assertThat(merged.build()).isEqualTo(unary);
        assertThat(unary.getMore()).isTrue();
        Iterator<RangeStreamResponse> empty = kv.rangeStream(range("none", "nonf"));
        assertThat(empty.next().getRangeResponse().getHeader().getRevision()).isEqualTo(41);
        assertThat(empty.hasNext()).isFalse();
        assertEtcdError(() -> kv.rangeStream(RangeRequest.getDefaultInstance()).hasNext(), EtcdError.EMPTY_KEY);
    }
}
