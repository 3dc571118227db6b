package io.etcdj.server.v3rpc;

import io.etcdj.api.etcdserverpb.LeaseGrantRequest;
import io.etcdj.api.etcdserverpb.LeaseGrantResponse;
import io.etcdj.api.etcdserverpb.LeaseGrpc;
import io.etcdj.api.etcdserverpb.LeaseKeepAliveRequest;
import io.etcdj.api.etcdserverpb.LeaseKeepAliveResponse;
import io.etcdj.api.etcdserverpb.LeaseLeasesRequest;
import io.etcdj.api.etcdserverpb.LeaseLeasesResponse;
import io.etcdj.api.etcdserverpb.LeaseRevokeRequest;
import io.etcdj.api.etcdserverpb.LeaseRevokeResponse;
import io.etcdj.api.etcdserverpb.LeaseStatus;
import io.etcdj.api.etcdserverpb.LeaseTimeToLiveRequest;
import io.etcdj.api.etcdserverpb.LeaseTimeToLiveResponse;
import io.etcdj.api.rpctypes.EtcdError;
import io.etcdj.server.etcdserver.EtcdServer;
import io.etcdj.server.lease.LeaseView;
import io.etcdj.server.lease.Lessor;
import io.grpc.stub.StreamObserver;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;

/**
 * etcd's Lease service for a single member (always the leader): Grant and Revoke go through raft;
 * TimeToLive, Leases and KeepAlive answer from the local lessor, as etcd's leader does.
 */
public final class LeaseService extends LeaseGrpc.LeaseImplBase {

    private final EtcdServer server;
    private final Lessor lessor;

    public LeaseService(EtcdServer server, Lessor lessor) {
        this.server = server;
        this.lessor = lessor;
    }

    @Override
    public void leaseGrant(LeaseGrantRequest request, StreamObserver<LeaseGrantResponse> out) {
        relay(out, () -> {
            if (request.getTTL() > Lessor.MAX_TTL_SECONDS) {
                throw EtcdError.LEASE_TTL_TOO_LARGE.asException();
            }
            return server.leaseGrant(request);
        });
    }

    @Override
    public void leaseRevoke(LeaseRevokeRequest request, StreamObserver<LeaseRevokeResponse> out) {
        relay(out, () -> server.leaseRevoke(request));
    }

    /** An unknown lease answers TTL -1 (etcd's v3rpc turns ErrLeaseNotFound into that). */
    @Override
    public void leaseTimeToLive(LeaseTimeToLiveRequest request, StreamObserver<LeaseTimeToLiveResponse> out) {
        LeaseTimeToLiveResponse.Builder response = LeaseTimeToLiveResponse.newBuilder().setID(request.getID());
        lessor.timeToLive(request.getID()).ifPresentOrElse((LeaseView view) -> {
            response.setTTL(view.remainingSeconds()).setGrantedTTL(view.grantedTtlSeconds());
            if (request.getKeys()) {
                response.addAllKeys(view.keys());
            }
        }, () -> response.setTTL(-1));
        out.onNext(response.setHeader(server.currentHeader()).build());
        out.onCompleted();
    }

    @Override
    public void leaseLeases(LeaseLeasesRequest request, StreamObserver<LeaseLeasesResponse> out) {
        LeaseLeasesResponse.Builder response = LeaseLeasesResponse.newBuilder();
        lessor.ids().forEach(id -> response.addLeases(LeaseStatus.newBuilder().setID(id)));
        out.onNext(response.setHeader(server.currentHeader()).build());
        out.onCompleted();
    }

    /**
     * Each request answers the granted TTL after a refresh, or TTL 0 for a lease that is gone. A
     * renewal that must first clear a checkpointed remaining TTL through raft answers once that
     * applied; answers leave in request order (each waits for the one before). If the clearing
     * proposal fails, the stream ends with its error and the client opens a new one, since an
     * acknowledged renewal must survive a restart.
     */
    @Override
    public StreamObserver<LeaseKeepAliveRequest> leaseKeepAlive(StreamObserver<LeaseKeepAliveResponse> out) {
        return new StreamObserver<>() {
            private CompletableFuture<Void> previous = CompletableFuture.completedFuture(null);
            private boolean failed;

            @Override
            public synchronized void onNext(LeaseKeepAliveRequest request) {
                CompletableFuture<Long> ttl = lessor.keepAlive(request.getID());
                previous = previous.thenCombine(ttl, (ignored, value) -> value).handle((value, error) -> {
                    answer(request.getID(), value, error);
                    return null;
                });
            }

            private synchronized void answer(long id, Long ttl, Throwable error) {
                if (failed) {
                    return;
                }
                if (error != null) {
                    failed = true;
                    out.onError(KvErrors.toStatus(error));
                    return;
                }
                out.onNext(LeaseKeepAliveResponse.newBuilder().setHeader(server.currentHeader())
                        .setID(id).setTTL(ttl).build());
            }

            @Override
            public void onError(Throwable error) {
                // The client went away; nothing to clean up.
            }

            @Override
            public synchronized void onCompleted() {
                previous = previous.whenComplete((ignored, error) -> {
                    synchronized (this) {
                        if (!failed) {
                            out.onCompleted();
                        }
                    }
                });
            }
        };
    }

    private static <T> void relay(StreamObserver<T> out, Supplier<CompletableFuture<T>> call) {
        CompletableFuture<T> answer;
        try {
            answer = call.get();
        } catch (RuntimeException e) {
            out.onError(KvErrors.toStatus(e));
            return;
        }
        answer.whenComplete((response, error) -> {
            if (error != null) {
                out.onError(KvErrors.toStatus(error));
            } else {
                out.onNext(response);
                out.onCompleted();
            }
        });
    }
}
