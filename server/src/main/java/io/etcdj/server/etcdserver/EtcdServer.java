package io.etcdj.server.etcdserver;

import io.etcdj.api.etcdserverpb.AlarmMember;
import io.etcdj.api.etcdserverpb.AlarmRequest;
import io.etcdj.api.etcdserverpb.AlarmResponse;
import io.etcdj.api.etcdserverpb.AlarmType;
import io.etcdj.api.etcdserverpb.CompactionRequest;
import io.etcdj.api.etcdserverpb.CompactionResponse;
import io.etcdj.api.etcdserverpb.DeleteRangeRequest;
import io.etcdj.api.etcdserverpb.DeleteRangeResponse;
import io.etcdj.api.etcdserverpb.InternalRaftRequest;
import io.etcdj.api.etcdserverpb.LeaseCheckpointRequest;
import io.etcdj.api.etcdserverpb.LeaseCheckpointResponse;
import io.etcdj.api.etcdserverpb.LeaseGrantRequest;
import io.etcdj.api.etcdserverpb.LeaseGrantResponse;
import io.etcdj.api.etcdserverpb.LeaseRevokeRequest;
import io.etcdj.api.etcdserverpb.LeaseRevokeResponse;
import io.etcdj.api.etcdserverpb.PutRequest;
import io.etcdj.api.etcdserverpb.PutResponse;
import io.etcdj.api.etcdserverpb.RangeRequest;
import io.etcdj.api.etcdserverpb.RangeResponse;
import io.etcdj.api.etcdserverpb.RequestHeader;
import io.etcdj.api.etcdserverpb.ResponseHeader;
import io.etcdj.api.etcdserverpb.TxnRequest;
import io.etcdj.api.etcdserverpb.TxnResponse;
import io.etcdj.api.rpctypes.EtcdError;
import io.etcdj.pkg.idutil.IdGenerator;
import io.etcdj.pkg.wait.IndexWaiter;
import io.etcdj.pkg.wait.WaitRegistry;
import io.etcdj.server.apply.KvApplier;
import io.etcdj.server.mvcc.MvccStore;
import io.etcdj.server.mvcc.TxnRead;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executor;
import java.util.concurrent.Executors;
import java.util.function.Function;

/**
 * The server core's request side ({@link KvServer}): turns client requests into raft proposals or
 * local reads and answers with etcd's headers. Owns no thread; the work happens on the
 * {@link RaftLoop} and {@link ApplyLoop} threads that {@link Member} starts.
 */
public final class EtcdServer implements KvServer {

    /** etcd's backpressure: refuse new proposals while commit runs this far ahead of apply. */
    static final long MAX_COMMITTED_MINUS_APPLIED = 5_000;

    private final MemberIdentity identity;
    private final RaftLoop raft;
    private final ApplyLoop apply;
    private final MvccStore mvcc;
    private final KvApplier applier;
    private final WaitRegistry<Object> waits;
    private final IndexWaiter applied;
    private final IdGenerator ids;
    private final long maxRequestBytes;
    /**
     * Where reads of many keys run, and where answers are finished for callers that are not on a
     * gRPC event loop ({@link AnswerThreads}); never the raft-loop or apply thread, which complete
     * the futures these hang off (the apply thread must not do a reader's work).
     */
    private final Executor requestThreads = Executors.newVirtualThreadPerTaskExecutor();
    private final RequestDeadlines deadlines;
    private final Runnable onProposalFailed;
    private final AlarmStore alarms;
    private final Quota quota;

    EtcdServer(MemberIdentity identity, RaftLoop raft, ApplyLoop apply, MvccStore mvcc, KvApplier applier,
            WaitRegistry<Object> waits, IndexWaiter applied, IdGenerator ids, long maxRequestBytes,
            long requestTimeoutMillis, Runnable onProposalFailed, AlarmStore alarms, Quota quota) {
        this.alarms = alarms;
        this.quota = quota;
        this.onProposalFailed = onProposalFailed;
        this.identity = identity;
        this.raft = raft;
        this.apply = apply;
        this.mvcc = mvcc;
        this.applier = applier;
        this.waits = waits;
        this.applied = applied;
        this.ids = ids;
        this.maxRequestBytes = maxRequestBytes;
        this.deadlines = new RequestDeadlines(requestTimeoutMillis, System::nanoTime).start();
    }

    @Override
    public CompletableFuture<RangeResponse> range(RangeRequest request) {
        return read(request.getSerializable(), request.getRangeEnd().isEmpty(), txn -> applier.range(txn, request))
                .thenApply(r -> r.toBuilder().setHeader(header(r.getHeader())).build());
    }

    @Override
    public CompletableFuture<PutResponse> put(PutRequest request) {
        if (!quota.admits(Quota.cost(request))) {
            return noSpace();
        }
        return propose(InternalRaftRequest.newBuilder().setPut(request), PutResponse.class)
                .thenApply(r -> r.toBuilder().setHeader(header(r.getHeader())).build());
    }

    @Override
    public CompletableFuture<DeleteRangeResponse> deleteRange(DeleteRangeRequest request) {
        return propose(InternalRaftRequest.newBuilder().setDeleteRange(request), DeleteRangeResponse.class)
                .thenApply(r -> r.toBuilder().setHeader(header(r.getHeader())).build());
    }

    @Override
    public CompletableFuture<TxnResponse> txn(TxnRequest request) {
        if (!quota.admits(Quota.cost(request))) {
            return noSpace();
        }
        CompletableFuture<TxnResponse> answer = KvApplier.isReadOnly(request)
                ? read(KvApplier.isSerializable(request), false, txn -> applier.readOnlyTxn(txn, request))
                : propose(InternalRaftRequest.newBuilder().setTxn(request), TxnResponse.class);
        return answer.thenApply(r -> r.toBuilder().setHeader(header(r.getHeader())).build());
    }

    @Override
    public CompletableFuture<CompactionResponse> compact(CompactionRequest request) {
        return propose(InternalRaftRequest.newBuilder().setCompaction(request), CompactionResponse.class)
                .thenApply(r -> r.toBuilder().setHeader(header(r.getHeader())).build());
    }

    /**
     * Alarm GET answers from the local store, without a header (as etcd); ACTIVATE and DEACTIVATE
     * go through raft so every member raises and clears alarms at the same point of the log.
     */
    public CompletableFuture<AlarmResponse> alarm(AlarmRequest request) {
        if (request.getAction() == AlarmRequest.AlarmAction.GET) {
            List<AlarmMember> active = alarms.active().stream()
                    .filter(a -> request.getAlarm() == AlarmType.NONE || a.getAlarm() == request.getAlarm())
                    .toList();
            return CompletableFuture.completedFuture(AlarmResponse.newBuilder().addAllAlarms(active).build());
        }
        return propose(InternalRaftRequest.newBuilder().setAlarm(request), AlarmResponse.class)
                .thenApply(r -> r.toBuilder().setHeader(header(r.getHeader())).build());
    }

    /** LeaseGrant through raft; ID 0 gets a unique positive id from the request id generator (as etcd). */
    public CompletableFuture<LeaseGrantResponse> leaseGrant(LeaseGrantRequest request) {
        LeaseGrantRequest withId = request;
        while (withId.getID() == 0) {
            withId = request.toBuilder().setID(ids.next() & Long.MAX_VALUE).build();
        }
        return propose(InternalRaftRequest.newBuilder().setLeaseGrant(withId), LeaseGrantResponse.class)
                .thenApply(r -> r.toBuilder().setHeader(header(r.getHeader())).build());
    }

    /** LeaseRevoke through raft: the lease's keys go away in one revision when it applies. */
    public CompletableFuture<LeaseRevokeResponse> leaseRevoke(LeaseRevokeRequest request) {
        return propose(InternalRaftRequest.newBuilder().setLeaseRevoke(request), LeaseRevokeResponse.class)
                .thenApply(r -> r.toBuilder().setHeader(header(r.getHeader())).build());
    }

    /**
     * LeaseCheckpoint through raft (an internal request, never from a client): records remaining
     * TTLs; the future completes once the entry applied.
     */
    public CompletableFuture<LeaseCheckpointResponse> leaseCheckpoint(LeaseCheckpointRequest request) {
        return propose(InternalRaftRequest.newBuilder().setLeaseCheckpoint(request), LeaseCheckpointResponse.class);
    }

    /** A full header at the current revision, for answers served from local state. */
    public ResponseHeader currentHeader() {
        return header(ResponseHeader.newBuilder().setRevision(mvcc.currentRevision()).build());
    }

    /** The raised alarms, for Status and /health. */
    public List<AlarmMember> alarms() {
        return alarms.active();
    }

    /** etcd's rendering of an alarm in Status.errors. */
    public static String describe(AlarmMember alarm) {
        return AlarmStore.describe(alarm);
    }

    /** Over quota: raise NOSPACE for this member (once) and refuse the request. */
    private <T> CompletableFuture<T> noSpace() {
        if (!alarms.isRaised(AlarmType.NOSPACE)) {
            AlarmRequest raise = AlarmRequest.newBuilder().setAction(AlarmRequest.AlarmAction.ACTIVATE)
                    .setMemberID(identity.memberId()).setAlarm(AlarmType.NOSPACE).build();
            propose(InternalRaftRequest.newBuilder().setAlarm(raise), AlarmResponse.class);
        }
        return CompletableFuture.failedFuture(EtcdError.NO_SPACE.asException());
    }

    public MemberIdentity identity() {
        return identity;
    }

    public long raftTerm() {
        return raft.term();
    }

    public long leader() {
        return raft.leader();
    }

    public long committedIndex() {
        return raft.committedIndex();
    }

    public long appliedIndex() {
        return apply.appliedIndex();
    }

    public long currentRevision() {
        return mvcc.currentRevision();
    }

    /** A header with this member's ids and the current term around {@code partial}'s revision. */
    ResponseHeader header(ResponseHeader partial) {
        return partial.toBuilder().setClusterId(identity.clusterId()).setMemberId(identity.memberId())
                .setRaftTerm(raft.term()).build();
    }

    /**
     * A read served from the local store: at once when serializable; otherwise after a ReadIndex
     * round confirms the leader's commit index and this member has applied up to it.
     *
     * <p>Threads (see {@link AnswerThreads}): a point read ({@code pointRead}: one key) costs a
     * few microseconds, so it runs on the gRPC event loop the request came from: inline when
     * serializable (no hand-off at all, as etcd's gRPC goroutine reads inline), after the
     * ReadIndex wait otherwise. A range or a txn may read many keys: it runs on a virtual thread
     * so it never holds up an event loop, and its answer is handed back to the event loop once.
     * Never on the raft-loop or apply thread that completes the ReadIndex wait.
     */
    private <T> CompletableFuture<T> read(boolean serializable, boolean pointRead, Function<TxnRead, T> reader) {
        Executor answers = AnswerThreads.current(requestThreads);
        if (serializable && pointRead && answers != requestThreads) {
            try {
                return CompletableFuture.completedFuture(readNow(reader));
            } catch (RuntimeException e) {
                return CompletableFuture.failedFuture(e);
            }
        }
        CompletableFuture<Void> ready = serializable
                ? CompletableFuture.completedFuture(null)
                : raft.readIndex().thenCompose(applied::waitFor);
        Executor readOn = pointRead ? answers : requestThreads;
        CompletableFuture<T> result = ready.thenApplyAsync(ignored -> readNow(reader), readOn);
        if (readOn != answers) {
            result = result.thenApplyAsync(Function.identity(), answers);
        }
        return withTimeout(result, () -> { });
    }

    private <T> T readNow(Function<TxnRead, T> reader) {
        try (TxnRead txn = mvcc.read()) {
            return reader.apply(txn);
        }
    }

    private <T> CompletableFuture<T> propose(InternalRaftRequest.Builder request, Class<T> answerType) {
        if (raft.committedIndex() - apply.appliedIndex() > MAX_COMMITTED_MINUS_APPLIED) {
            return CompletableFuture.failedFuture(EtcdError.TOO_MANY_REQUESTS.asException());
        }
        long id = ids.next();
        byte[] data = request.setHeader(RequestHeader.newBuilder().setID(id)).build().toByteArray();
        if (data.length > maxRequestBytes) {
            return CompletableFuture.failedFuture(EtcdError.REQUEST_TOO_LARGE.asException());
        }
        CompletableFuture<Object> answer;
        try {
            answer = waits.register(id);
            raft.propose(data, dropped -> {
                onProposalFailed.run();
                waits.fail(id, EtcdError.NO_LEADER.asException());
            });
        } catch (RuntimeException e) {
            waits.cancel(id);
            return CompletableFuture.failedFuture(e);
        }
        return withTimeout(answer.thenApplyAsync(answerType::cast, AnswerThreads.current(requestThreads)), () -> {
            onProposalFailed.run();
            waits.cancel(id);
        });
    }

    /**
     * etcd's request timeout: the answer is unknown after it, so the client hears "timed out".
     * One sweeper for all requests ({@link RequestDeadlines}), not a timer per request.
     */
    private <T> CompletableFuture<T> withTimeout(CompletableFuture<T> future, Runnable onTimeout) {
        return deadlines.expire(future, onTimeout, EtcdError.TIMEOUT::asException).exceptionallyCompose(error ->
                CompletableFuture.failedFuture(error instanceof CompletionException && error.getCause() != null
                        ? error.getCause() : error));
    }

    /** Stops the request-timeout sweeper (the member is closing). */
    void close() {
        deadlines.close();
    }
}
