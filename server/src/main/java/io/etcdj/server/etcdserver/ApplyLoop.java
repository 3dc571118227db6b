package io.etcdj.server.etcdserver;

import com.google.protobuf.InvalidProtocolBufferException;
import io.etcdj.api.etcdserverpb.AlarmMember;
import io.etcdj.api.etcdserverpb.AlarmRequest;
import io.etcdj.api.etcdserverpb.AlarmResponse;
import io.etcdj.api.etcdserverpb.AlarmType;
import io.etcdj.api.etcdserverpb.CompactionResponse;
import io.etcdj.api.etcdserverpb.InternalRaftRequest;
import io.etcdj.api.etcdserverpb.ResponseHeader;
import io.etcdj.pkg.wait.IndexWaiter;
import io.etcdj.pkg.wait.WaitRegistry;
import io.etcdj.raft.ConfChangeI;
import io.etcdj.raft.ConfState;
import io.etcdj.raft.Entry;
import io.etcdj.server.apply.KvApplier;
import io.etcdj.server.lease.LeaseApplier;
import io.etcdj.server.mvcc.CompactedException;
import io.etcdj.server.mvcc.FutureRevisionException;
import io.etcdj.server.mvcc.MvccStore;
import io.etcdj.server.mvcc.TxnWrite;
import io.etcdj.server.storage.backend.Backend;
import io.grpc.StatusRuntimeException;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The apply thread: applies committed entries strictly in log order to the MVCC store, each in one
 * write transaction that also records the entry's index as the consistent index, so after a crash
 * the WAL replay re-applies exactly the entries the backend does not hold (entries at or below the
 * consistent index are skipped). Answers go to the proposer's waiter; the applied index is
 * published for linearizable reads. Deterministic: no clock, no randomness, no map iteration
 * order reaches the store.
 */
final class ApplyLoop {

    private static final Logger log = LoggerFactory.getLogger(ApplyLoop.class);

    private final BlockingQueue<List<Entry>> queue = new LinkedBlockingQueue<>();
    private final MvccStore mvcc;
    private final Backend backend;
    private final KvApplier applier;
    private final AlarmStore alarms;
    private final LeaseApplier leases;
    private final WaitRegistry<Object> waits;
    private final IndexWaiter applied;
    private final RaftLoop raft;
    private final Consumer<Throwable> fatal;
    private final long snapshotCount;
    private final long catchUpEntries;
    private final Thread thread;
    private volatile boolean running = true;

    /** Loop-thread state. */
    private long consistentIndex;
    private long snapshotIndex;
    private ConfState confState;

    ApplyLoop(MvccStore mvcc, Backend backend, KvApplier applier, AlarmStore alarms, LeaseApplier leases,
            WaitRegistry<Object> waits,
            IndexWaiter applied,
            RaftLoop raft, long appliedIndex, ConfState confState, long snapshotCount, long catchUpEntries,
            Consumer<Throwable> fatal) {
        this.mvcc = mvcc;
        this.backend = backend;
        this.applier = applier;
        this.alarms = alarms;
        this.leases = leases;
        this.waits = waits;
        this.applied = applied;
        this.raft = raft;
        this.consistentIndex = mvcc.consistentIndex();
        this.snapshotIndex = appliedIndex;
        this.confState = confState;
        this.snapshotCount = snapshotCount;
        this.catchUpEntries = catchUpEntries;
        this.fatal = fatal;
        applied.advanceTo(Math.max(appliedIndex, consistentIndex));
        this.thread = Thread.ofPlatform().name("etcd-apply").unstarted(this::run);
    }

    void start() {
        thread.start();
    }

    /** Raft-loop thread: committed entries, in order. */
    void enqueue(List<Entry> entries) {
        queue.add(entries);
    }

    long appliedIndex() {
        return applied.reached();
    }

    void stop() {
        running = false;
        LoopThreads.stop(thread, () -> queue.add(List.of())); // an empty batch: applies nothing
    }

    private void run() {
        try {
            while (running) {
                List<Entry> batch = queue.take();
                for (Entry entry : batch) {
                    apply(entry);
                    applied.advanceTo(entry.index());
                }
                maybeSnapshot();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException e) {
            log.atError().setCause(e).log("apply stopped: {}", e.getMessage());
            fatal.accept(e);
        }
    }

    private void apply(Entry entry) throws InterruptedException {
        switch (entry.type()) {
            case CONF_CHANGE, CONF_CHANGE_V2 -> applyConfChange(entry);
            case NORMAL -> {
                if (entry.index() <= consistentIndex) {
                    return; // the backend already holds it: replayed from the WAL after a restart
                }
                if (entry.data().length == 0) {
                    recordIndexOnly(entry); // a new leader's empty entry
                } else {
                    applyRequest(entry, decode(entry));
                }
            }
        }
    }

    /** etcd applies conf changes to raft even when the backend already holds the entry. */
    private void applyConfChange(Entry entry) throws InterruptedException {
        ConfChangeI change = ConfChangeI.fromEntry(entry);
        try {
            confState = raft.applyConfChange(change).get();
        } catch (java.util.concurrent.ExecutionException e) {
            throw new IllegalStateException("raft refused a committed conf change at " + entry.index(), e.getCause());
        }
        if (entry.index() > consistentIndex) {
            recordIndexOnly(entry);
        }
    }

    private void recordIndexOnly(Entry entry) {
        TxnWrite txn = mvcc.write();
        txn.setConsistentIndex(entry.index(), entry.term());
        txn.end();
        consistentIndex = entry.index();
    }

    private void applyRequest(Entry entry, InternalRaftRequest request) {
        long id = request.getHeader().getID();
        if (request.hasAlarm()) {
            applyAlarm(entry, id, request.getAlarm());
            return;
        }
        if (request.hasLeaseGrant() || request.hasLeaseRevoke() || request.hasLeaseCheckpoint()) {
            applyLease(entry, id, request);
            return;
        }
        if (request.hasCompaction()) {
            applyCompaction(entry, id, request.getCompaction().getRevision(), request.getCompaction().getPhysical());
            return;
        }
        TxnWrite txn = mvcc.write();
        Object result;
        try {
            if (alarms.isRaised(AlarmType.NOSPACE) && writesData(request)) {
                // etcd's capped applier: while NOSPACE is raised, nothing that adds data applies.
                throw io.etcdj.api.rpctypes.EtcdError.NO_SPACE.asException();
            }
            result = switch (request) {
                case InternalRaftRequest r when r.hasPut() -> applier.put(txn, r.getPut());
                case InternalRaftRequest r when r.hasDeleteRange() -> applier.deleteRange(txn, r.getDeleteRange());
                case InternalRaftRequest r when r.hasTxn() -> applier.txn(txn, r.getTxn());
                default -> throw new IllegalStateException("entry " + entry.index() + " carries no request this server applies");
            };
        } catch (StatusRuntimeException e) {
            // The applier refuses before writing anything: the txn records only the index.
            result = e;
        }
        txn.setConsistentIndex(entry.index(), entry.term());
        txn.end();
        consistentIndex = entry.index();
        answer(id, result);
    }

    /** etcd's capped applier refuses LeaseGrant while NOSPACE is raised; revoke frees space and goes on. */
    private void applyLease(Entry entry, long id, InternalRaftRequest request) {
        Object result;
        if (alarms.isRaised(AlarmType.NOSPACE) && request.hasLeaseGrant()) {
            recordIndexOnly(entry);
            result = io.etcdj.api.rpctypes.EtcdError.NO_SPACE.asException();
        } else {
            result = leases.apply(request, entry.index(), entry.term());
        }
        consistentIndex = entry.index();
        answer(id, result);
    }

    private static boolean writesData(InternalRaftRequest request) {
        return request.hasPut() || (request.hasTxn() && Quota.cost(request.getTxn()) > 0);
    }

    private void applyAlarm(Entry entry, long id, AlarmRequest request) {
        AlarmMember alarm = AlarmMember.newBuilder().setMemberID(request.getMemberID()).setAlarm(request.getAlarm()).build();
        AlarmResponse.Builder response = AlarmResponse.newBuilder()
                .setHeader(ResponseHeader.newBuilder().setRevision(mvcc.currentRevision()));
        switch (request.getAction()) {
            case ACTIVATE -> alarms.activate(alarm, entry.index(), entry.term()).ifPresentOrElse(raised -> {
                log.atWarn().addKeyValue("alarm", AlarmStore.describe(raised).trim()).log("alarm raised");
                response.addAlarms(raised);
            }, () -> recordIndexOnly(entry));
            case DEACTIVATE -> alarms.deactivate(alarm, entry.index(), entry.term()).ifPresentOrElse(cleared -> {
                log.atInfo().addKeyValue("alarm", AlarmStore.describe(cleared).trim()).log("alarm cleared");
                response.addAlarms(cleared);
            }, () -> recordIndexOnly(entry));
            default -> {
                recordIndexOnly(entry);
                response.addAllAlarms(alarms.active());
            }
        }
        consistentIndex = entry.index();
        answer(id, response.build());
    }

    private void applyCompaction(Entry entry, long id, long revision, boolean physical) {
        Object result;
        CompletableFuture<Void> done = null;
        try {
            done = mvcc.compact(revision);
            result = CompactionResponse.newBuilder()
                    .setHeader(ResponseHeader.newBuilder().setRevision(mvcc.currentRevision())).build();
        } catch (CompactedException e) {
            result = io.etcdj.api.rpctypes.EtcdError.COMPACTED.asException();
        } catch (FutureRevisionException e) {
            result = io.etcdj.api.rpctypes.EtcdError.FUTURE_REV.asException();
        }
        recordIndexOnly(entry);
        if (physical && done != null) {
            Object answer = result;
            done.whenComplete((ok, error) -> answer(id, error == null ? answer : error));
        } else {
            answer(id, result);
        }
    }

    private void answer(long id, Object result) {
        if (result instanceof Throwable error) {
            waits.fail(id, error);
        } else {
            waits.trigger(id, result);
        }
    }

    private void maybeSnapshot() {
        long appliedIndex = applied.reached();
        if (appliedIndex - snapshotIndex < snapshotCount) {
            return;
        }
        // Everything up to appliedIndex must be durable in the backend before the WAL before it
        // may be released.
        backend.forceCommit();
        raft.snapshot(appliedIndex, confState, catchUpEntries);
        snapshotIndex = appliedIndex;
    }

    private static InternalRaftRequest decode(Entry entry) {
        try {
            return InternalRaftRequest.parseFrom(entry.data());
        } catch (InvalidProtocolBufferException e) {
            throw new IllegalStateException("committed entry " + entry.index() + " is not a request: " + e.getMessage(), e);
        }
    }
}
