package io.etcdj.server.concurrency;

import com.google.protobuf.ByteString;
import io.etcdj.api.etcdserverpb.RangeResponse;
import io.etcdj.api.etcdserverpb.ResponseHeader;
import io.etcdj.api.etcdserverpb.TxnRequest;
import io.etcdj.api.etcdserverpb.TxnResponse;
import io.etcdj.api.etcdserverpb.WatchCreateRequest;
import io.etcdj.api.etcdserverpb.WatchResponse;
import io.etcdj.api.mvccpb.Event;
import io.etcdj.api.mvccpb.KeyValue;
import io.etcdj.api.v3electionpb.CampaignRequest;
import io.etcdj.api.v3electionpb.CampaignResponse;
import io.etcdj.api.v3electionpb.LeaderKey;
import io.etcdj.api.v3electionpb.LeaderRequest;
import io.etcdj.api.v3electionpb.LeaderResponse;
import io.etcdj.api.v3electionpb.ProclaimRequest;
import io.etcdj.api.v3electionpb.ProclaimResponse;
import io.etcdj.api.v3electionpb.ResignRequest;
import io.etcdj.api.v3electionpb.ResignResponse;
import java.util.concurrent.CompletableFuture;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * etcd's leader election (clientv3 {@code concurrency.Election} behind v3election). The leader is
 * the candidate key under {@code name/} with the lowest create revision; its value is the
 * proclaimed value. A {@link LeaderKey} names a candidacy by key and create revision, so a
 * Proclaim or Resign from a candidacy that has since ended (its key deleted, perhaps recreated)
 * does nothing to the new one.
 */
final class Election {
    private static final Logger log = LoggerFactory.getLogger(Election.class);

    private final LocalClient client;

    Election(LocalClient client) {
        this.client = client;
    }

    /** Blocks (its own thread) until the caller leads; an interrupt means the caller left. */
    CampaignResponse campaign(CampaignRequest request) throws InterruptedException {
        long lease = Sessions.lease(client, request.getLease());
        ByteString prefix = Keys.prefix(request.getName());
        ByteString key = Keys.candidate(prefix, lease);
        TxnRequest join = TxnRequest.newBuilder()
                .addCompare(Keys.createRevisionIs(key, 0))
                .addSuccess(Keys.put(key, request.getValue(), lease))
                .addFailure(Keys.get(key))
                .build();
        CompletableFuture<TxnResponse> joining = client.txn(join);
        TxnResponse joined;
        try {
            joined = Keys.await(joining);
        } catch (InterruptedException e) {
            joining.thenAccept(t -> {
                if (t.getSucceeded()) {
                    resignQuietly(key, t.getHeader().getRevision());
                }
            });
            throw e;
        }
        long revision = joined.getHeader().getRevision();
        if (!joined.getSucceeded()) {
            // This lease already campaigns here: keep its place in line, with the new value.
            KeyValue existing = joined.getResponses(0).getResponseRange().getKvs(0);
            revision = existing.getCreateRevision();
            if (!existing.getValue().equals(request.getValue())) {
                try {
                    proclaim(key, revision, lease, request.getValue());
                } catch (InterruptedException | RuntimeException e) {
                    resignQuietly(key, revision);
                    throw e;
                }
            }
        }
        try {
            Turn.await(client, prefix, key, revision);
        } catch (Turn.KeyLostException e) {
            // etcd's recipe would wait on and then answer success without a key; the candidacy is
            // over, and this is the error a Proclaim from it would get.
            throw RecipeErrors.failure(RecipeErrors.NOT_LEADER);
        } catch (InterruptedException e) {
            resignQuietly(key, revision); // etcd resigns when the caller cancels, and only then
            throw e;
        }
        LeaderKey leader = LeaderKey.newBuilder().setName(request.getName()).setKey(key).setRev(revision)
                .setLease(lease).build();
        // etcd answers with the header of the txn that joined the line, not of the moment it won.
        return CampaignResponse.newBuilder().setHeader(joined.getHeader()).setLeader(leader).build();
    }

    ProclaimResponse proclaim(ProclaimRequest request) throws InterruptedException {
        if (!request.hasLeader()) {
            throw RecipeErrors.failure(RecipeErrors.MISSING_LEADER_KEY);
        }
        LeaderKey leader = request.getLeader();
        long lease = Sessions.lease(client, leader.getLease());
        ResponseHeader header = proclaim(leader.getKey(), leader.getRev(), lease, request.getValue());
        return ProclaimResponse.newBuilder().setHeader(header).build();
    }

    /** Deletes the candidacy's key if it is still that candidacy; answers success either way, as etcd. */
    ResignResponse resign(ResignRequest request) throws InterruptedException {
        if (!request.hasLeader()) {
            throw RecipeErrors.failure(RecipeErrors.MISSING_LEADER_KEY);
        }
        LeaderKey leader = request.getLeader();
        TxnResponse resigned = Keys.await(client.txn(resignation(leader.getKey(), leader.getRev())));
        return ResignResponse.newBuilder().setHeader(resigned.getHeader()).build();
    }

    LeaderResponse leader(LeaderRequest request) throws InterruptedException {
        RangeResponse first = Keys.await(client.range(Keys.firstCreated(Keys.prefix(request.getName()))));
        if (first.getKvsCount() == 0) {
            throw RecipeErrors.failure(RecipeErrors.NO_LEADER);
        }
        return LeaderResponse.newBuilder().setHeader(first.getHeader()).setKv(first.getKvs(0)).build();
    }

    /**
     * Streams the election's leader to {@code sink}: the current one (waiting for a first
     * candidate if there is none), each value it proclaims, and whoever leads after it. Returns
     * only by an interrupt (the client left) or an error; etcd's recipe reports leaders, not every
     * candidate, and neither does this.
     */
    void observe(LeaderRequest request, BlockingCalls.Sink<LeaderResponse> sink) throws InterruptedException {
        ByteString prefix = Keys.prefix(request.getName());
        while (true) {
            RangeResponse first = Keys.await(client.range(Keys.firstCreated(prefix)));
            LeaderResponse leader = first.getKvsCount() > 0
                    ? LeaderResponse.newBuilder().setHeader(first.getHeader()).setKv(first.getKvs(0)).build()
                    : awaitFirstCandidate(prefix, first.getHeader().getRevision());
            if (leader != null) {
                sink.send(leader);
                followLeader(leader, sink);
            }
            // The leader's key is gone (or a watch start was compacted away): read again.
        }
    }

    /** The first key put under an empty prefix after {@code readRevision}; null if compacted away. */
    private LeaderResponse awaitFirstCandidate(ByteString prefix, long readRevision) throws InterruptedException {
        try (KeyWatch watch = KeyWatch.open(client)) {
            watch.watch(1, prefix, Keys.prefixEnd(prefix), readRevision + 1, WatchCreateRequest.FilterType.NODELETE);
            WatchResponse created = watch.next();
            if (created.getCanceled()) {
                return null;
            }
            KeyValue kv = created.getEvents(0).getKv();
            // As etcd: the header of the watch response, at the revision of that first put.
            ResponseHeader header = created.getHeader().toBuilder().setRevision(kv.getModRevision()).build();
            return LeaderResponse.newBuilder().setHeader(header).setKv(kv).build();
        }
    }

    /** Sends each new value of the leader's key until the key is deleted. */
    private void followLeader(LeaderResponse leader, BlockingCalls.Sink<LeaderResponse> sink)
            throws InterruptedException {
        try (KeyWatch watch = KeyWatch.open(client)) {
            watch.watch(1, leader.getKv().getKey(), ByteString.EMPTY, leader.getHeader().getRevision() + 1);
            while (true) {
                WatchResponse changed = watch.next();
                if (changed.getCanceled()) {
                    return;
                }
                for (Event event : changed.getEventsList()) {
                    if (event.getType() == Event.EventType.DELETE) {
                        return;
                    }
                    sink.send(LeaderResponse.newBuilder().setHeader(changed.getHeader()).setKv(event.getKv()).build());
                }
            }
        }
    }

    /** Sets the candidacy's value if its key still has that create revision. */
    private ResponseHeader proclaim(ByteString key, long revision, long lease, ByteString value)
            throws InterruptedException {
        TxnResponse put = Keys.await(client.txn(TxnRequest.newBuilder()
                .addCompare(Keys.createRevisionIs(key, revision))
                .addSuccess(Keys.put(key, value, lease))
                .build()));
        if (!put.getSucceeded()) {
            throw RecipeErrors.failure(RecipeErrors.NOT_LEADER);
        }
        return put.getHeader();
    }

    private static TxnRequest resignation(ByteString key, long revision) {
        return TxnRequest.newBuilder().addCompare(Keys.createRevisionIs(key, revision))
                .addSuccess(Keys.delete(key)).build();
    }

    /** Fire and forget: the campaign that owned the key has already ended. */
    private void resignQuietly(ByteString key, long revision) {
        client.txn(resignation(key, revision)).whenComplete((r, error) -> {
            if (error != null) {
                log.atWarn().addKeyValue("key", key.toStringUtf8())
                        .log("could not withdraw an abandoned campaign: {}", error.getMessage());
            }
        });
    }
}
