package io.etcdj.server.lease;

import com.google.protobuf.ByteString;
import io.etcdj.api.etcdserverpb.InternalRaftRequest;
import io.etcdj.api.etcdserverpb.LeaseCheckpoint;
import io.etcdj.api.etcdserverpb.LeaseCheckpointRequest;
import io.etcdj.api.etcdserverpb.LeaseCheckpointResponse;
import io.etcdj.api.etcdserverpb.LeaseGrantRequest;
import io.etcdj.api.etcdserverpb.LeaseGrantResponse;
import io.etcdj.api.etcdserverpb.LeaseRevokeResponse;
import io.etcdj.api.etcdserverpb.ResponseHeader;
import io.etcdj.api.rpctypes.EtcdError;
import io.etcdj.server.mvcc.MvccStore;
import io.etcdj.server.mvcc.TxnWrite;
import io.etcdj.server.storage.backend.Backend;
import io.etcdj.server.storage.backend.WriteTxn;
import io.etcdj.server.storage.schema.Bucket;
import java.util.ArrayList;
import java.util.List;

/**
 * Applies committed LeaseGrant, LeaseRevoke and LeaseCheckpoint entries on the apply thread. The lease record and
 * the entry's consistent index go in one backend write, so the backend holds a lease change if and
 * only if it holds the entry. A revoke first deletes the lease's keys in one MVCC revision (without
 * the index), then removes the record with the index: a crash in between re-applies the revoke
 * after restart, which finds the lease with no keys left and removes it.
 */
public final class LeaseApplier {

    private final Lessor lessor;
    private final MvccStore mvcc;
    private final Backend backend;

    public LeaseApplier(Lessor lessor, MvccStore mvcc, Backend backend) {
        this.lessor = lessor;
        this.mvcc = mvcc;
        this.backend = backend;
    }

    /** The answer for the waiter: a response, or etcd's error as a StatusRuntimeException. */
    public Object apply(InternalRaftRequest request, long index, long term) {
        if (request.hasLeaseGrant()) {
            return grant(request.getLeaseGrant(), index, term);
        }
        if (request.hasLeaseRevoke()) {
            return revoke(request.getLeaseRevoke().getID(), index, term);
        }
        if (request.hasLeaseCheckpoint()) {
            return checkpoint(request.getLeaseCheckpoint(), index, term);
        }
        throw new IllegalArgumentException("not a lease request at index " + index);
    }

    private Object grant(LeaseGrantRequest request, long index, long term) {
        long id = request.getID();
        Object refusal = null;
        if (id == 0) {
            refusal = EtcdError.LEASE_NOT_FOUND.asException(); // etcd's lessor refuses NoLease
        } else if (request.getTTL() > Lessor.MAX_TTL_SECONDS) {
            refusal = EtcdError.LEASE_TTL_TOO_LARGE.asException();
        } else if (lessor.exists(id)) {
            refusal = EtcdError.LEASE_EXIST.asException();
        }
        if (refusal != null) {
            recordIndex(index, term);
            return refusal;
        }
        long ttl = Math.max(request.getTTL(), lessor.minTtlSeconds());
        try (WriteTxn txn = backend.beginWrite()) {
            txn.put(Bucket.LEASE, Lessor.key(id), Lessor.encode(id, ttl));
            txn.setConsistentIndex(index, term);
        }
        lessor.granted(id, ttl);
        return LeaseGrantResponse.newBuilder().setHeader(header()).setID(id).setTTL(ttl).build();
    }

    private Object revoke(long id, long index, long term) {
        if (!lessor.exists(id)) {
            recordIndex(index, term);
            return EtcdError.LEASE_NOT_FOUND.asException();
        }
        List<ByteString> keys = lessor.keys(id);
        if (!keys.isEmpty()) {
            TxnWrite txn = mvcc.write();
            try {
                for (ByteString key : keys) {
                    txn.deleteRange(key.toByteArray(), null);
                }
            } finally {
                txn.end(); // one revision for every key of the lease
            }
        }
        try (WriteTxn txn = backend.beginWrite()) {
            txn.delete(Bucket.LEASE, Lessor.key(id));
            txn.setConsistentIndex(index, term);
        }
        lessor.revoked(id);
        return LeaseRevokeResponse.newBuilder().setHeader(header()).build();
    }

    /**
     * Records each checkpoint's remaining TTL in its lease's record, all with the entry's index in
     * one backend write (etcd 3.6 always persists them: LeaseCheckpointPersist is implied from
     * cluster version 3.6). A checkpoint for a lease that is gone is skipped, as etcd's lessor does.
     */
    private Object checkpoint(LeaseCheckpointRequest request, long index, long term) {
        List<long[]> applied = new ArrayList<>();
        try (WriteTxn txn = backend.beginWrite()) {
            for (LeaseCheckpoint cp : request.getCheckpointsList()) {
                long ttl = lessor.ttlSeconds(cp.getID());
                if (ttl < 0) {
                    continue;
                }
                long remaining = Math.max(0, cp.getRemainingTTL());
                txn.put(Bucket.LEASE, Lessor.key(cp.getID()), Lessor.encode(cp.getID(), ttl, remaining));
                applied.add(new long[] {cp.getID(), remaining});
            }
            txn.setConsistentIndex(index, term);
        }
        for (long[] cp : applied) {
            lessor.checkpointed(cp[0], cp[1]);
        }
        return LeaseCheckpointResponse.newBuilder().setHeader(header()).build();
    }

    private void recordIndex(long index, long term) {
        try (WriteTxn txn = backend.beginWrite()) {
            txn.setConsistentIndex(index, term);
        }
    }

    private ResponseHeader header() {
        return ResponseHeader.newBuilder().setRevision(mvcc.currentRevision()).build();
    }
}
