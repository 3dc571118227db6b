package io.etcdj.server.v3rpc;

import com.linecorp.armeria.server.ServiceRequestContext;
import io.etcdj.api.etcdserverpb.ResponseHeader;
import io.etcdj.api.etcdserverpb.WatchGrpc;
import io.etcdj.api.etcdserverpb.WatchRequest;
import io.etcdj.api.etcdserverpb.WatchResponse;
import io.etcdj.server.etcdserver.EtcdServer;
import io.etcdj.server.etcdserver.Member;
import io.etcdj.server.watch.HubStream;
import io.etcdj.server.watch.WatchConfig;
import io.etcdj.server.watch.WatchHub;
import io.grpc.stub.ServerCallStreamObserver;
import io.grpc.stub.StreamObserver;

/**
 * etcd's Watch gRPC service (v3rpc watchServer): each bidi stream gets a {@link HubStream}; the
 * receive side turns create/cancel/progress requests into hub commands, the hub's per-stream sender
 * writes the responses. A client half-close keeps the stream (etcd keeps sending until the call
 * ends); a cancelled call drops the stream's watchers.
 */
public final class WatchService extends WatchGrpc.WatchImplBase implements AutoCloseable {
    private final WatchHub hub;

    public WatchService(WatchHub hub) {
        this.hub = hub;
    }

    /** A service with its own hub on the member's store, headers stamped with the member's ids. */
    public static WatchService start(Member member, WatchConfig config) {
        EtcdServer server = member.server();
        WatchHub hub = WatchHub.start(member.mvcc(), member.backend(), revision -> ResponseHeader.newBuilder()
                .setClusterId(server.identity().clusterId()).setMemberId(server.identity().memberId())
                .setRevision(revision).setRaftTerm(server.raftTerm()).build(), config, System::nanoTime);
        return new WatchService(hub);
    }

    @Override
    public StreamObserver<WatchRequest> watch(StreamObserver<WatchResponse> out) {
        // Responses are written from the stream's own event loop: no thread between the hub and the wire.
        ServiceRequestContext ctx = ServiceRequestContext.currentOrNull();
        HubStream stream = ctx != null ? hub.openStream(out, new EventLoopDrains(ctx.eventLoop().withoutContext()))
                : hub.openStream(out);
        if (out instanceof ServerCallStreamObserver<WatchResponse> call) {
            call.setOnCancelHandler(stream::close);
            // Closed by the server side (RequireLeader on leader loss): drop the watchers too.
            call.setOnCloseHandler(stream::close);
        }
        return new StreamObserver<>() {
            @Override
            public void onNext(WatchRequest request) {
                switch (request.getRequestUnionCase()) {
                    case CREATE_REQUEST -> stream.create(request.getCreateRequest());
                    case CANCEL_REQUEST -> stream.cancel(request.getCancelRequest().getWatchId());
                    case PROGRESS_REQUEST -> stream.requestProgress();
                    default -> { } // etcd ignores an empty request
                }
            }

            @Override
            public void onError(Throwable t) {
                stream.close();
            }

            @Override
            public void onCompleted() {
                // etcd keeps serving the stream after the client closes its sending side.
            }
        };
    }

    public WatchHub hub() {
        return hub;
    }

    @Override
    public void close() {
        hub.close();
    }
}
