package io.etcdj.server.concurrency;

import io.etcdj.api.v3electionpb.CampaignRequest;
import io.etcdj.api.v3electionpb.CampaignResponse;
import io.etcdj.api.v3electionpb.ElectionGrpc;
import io.etcdj.api.v3electionpb.LeaderRequest;
import io.etcdj.api.v3electionpb.LeaderResponse;
import io.etcdj.api.v3electionpb.ProclaimRequest;
import io.etcdj.api.v3electionpb.ProclaimResponse;
import io.etcdj.api.v3electionpb.ResignRequest;
import io.etcdj.api.v3electionpb.ResignResponse;
import io.grpc.stub.StreamObserver;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** etcd's {@code v3electionpb.Election} service: {@link Election} per call, each on its own virtual thread. */
public final class ElectionService extends ElectionGrpc.ElectionImplBase implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(ElectionService.class);

    private final Election election;
    private final BlockingCalls calls = new BlockingCalls("v3election");

    public ElectionService(LocalClient client) {
        this.election = new Election(client);
    }

    @Override
    public void campaign(CampaignRequest request, StreamObserver<CampaignResponse> out) {
        calls.unary(out, () -> election.campaign(request));
    }

    @Override
    public void proclaim(ProclaimRequest request, StreamObserver<ProclaimResponse> out) {
        calls.unary(out, () -> election.proclaim(request));
    }

    @Override
    public void leader(LeaderRequest request, StreamObserver<LeaderResponse> out) {
        calls.unary(out, () -> election.leader(request));
    }

    /**
     * Runs until the client cancels. A failed step ends the stream with OK, as etcd's does (its
     * recipe closes the channel the service reads, and the service returns nil).
     */
    @Override
    public void observe(LeaderRequest request, StreamObserver<LeaderResponse> out) {
        calls.streaming(out, sink -> {
            try {
                election.observe(request, sink);
            } catch (RuntimeException e) {
                log.atDebug().log("observe ended: {}", e.getMessage()); // the stream ends with OK
            }
        });
    }

    @Override
    public void resign(ResignRequest request, StreamObserver<ResignResponse> out) {
        calls.unary(out, () -> election.resign(request));
    }

    /** Calls still running (campaigns and observers, mostly). */
    int runningCalls() {
        return calls.running();
    }

    /** Ends every call still waiting. */
    @Override
    public void close() {
        calls.close();
    }
}
