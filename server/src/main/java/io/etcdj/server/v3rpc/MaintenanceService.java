package io.etcdj.server.v3rpc;

import io.etcdj.api.etcdserverpb.AlarmRequest;
import io.etcdj.api.etcdserverpb.AlarmResponse;
import io.etcdj.api.etcdserverpb.DefragmentRequest;
import io.etcdj.api.etcdserverpb.DefragmentResponse;
import io.etcdj.api.etcdserverpb.HashKVRequest;
import io.etcdj.api.etcdserverpb.HashKVResponse;
import io.etcdj.api.etcdserverpb.HashRequest;
import io.etcdj.api.etcdserverpb.HashResponse;
import io.etcdj.api.etcdserverpb.MaintenanceGrpc;
import io.etcdj.api.etcdserverpb.ResponseHeader;
import io.etcdj.api.etcdserverpb.SnapshotRequest;
import io.etcdj.api.etcdserverpb.SnapshotResponse;
import io.etcdj.api.etcdserverpb.StatusRequest;
import io.etcdj.api.etcdserverpb.StatusResponse;
import io.etcdj.api.rpctypes.EtcdError;
import io.etcdj.server.etcdserver.EtcdServer;
import io.etcdj.server.mvcc.CompactedException;
import io.etcdj.server.mvcc.FutureRevisionException;
import io.etcdj.server.mvcc.KeyValueHash;
import io.etcdj.server.mvcc.MvccStore;
import io.etcdj.server.storage.backend.Backend;
import io.etcdj.server.storage.backend.BackendSnapshot;
import io.etcdj.server.storage.backend.ReadTxn;
import io.etcdj.server.storage.schema.Bucket;
import io.etcdj.server.version.Version;
import io.grpc.Status;
import io.grpc.stub.StreamObserver;
import java.io.IOException;
import java.util.concurrent.Executor;
import java.util.concurrent.Executors;
import java.util.function.Supplier;
import java.util.zip.CRC32C;

/**
 * etcd's Maintenance service for a single member: Status, Hash, HashKV, Alarm (list), Defragment
 * and Snapshot. Work that blocks (defragmentation, hashing, snapshot copies) runs on virtual
 * threads, never on the network event loop. MoveLeader and Downgrade need a cluster and answer
 * {@code UNIMPLEMENTED}; alarm activation arrives with the NOSPACE quota.
 */
public final class MaintenanceService extends MaintenanceGrpc.MaintenanceImplBase {

    private final EtcdServer server;
    private final Backend backend;
    private final MvccStore mvcc;
    private final long quotaBackendBytes;
    private final Executor blocking = Executors.newVirtualThreadPerTaskExecutor();

    public MaintenanceService(EtcdServer server, Backend backend, MvccStore mvcc, long quotaBackendBytes) {
        this.server = server;
        this.backend = backend;
        this.mvcc = mvcc;
        this.quotaBackendBytes = quotaBackendBytes;
    }

    private ResponseHeader header() {
        return server.currentHeader();
    }

    @Override
    public void status(StatusRequest request, StreamObserver<StatusResponse> responses) {
        answer(responses, () -> StatusResponse.newBuilder()
                .setHeader(header())
                .setVersion(Version.API)
                .setDbSize(backend.sizeBytes())
                .setDbSizeInUse(backend.sizeInUseBytes())
                .setLeader(server.leader())
                .setRaftIndex(server.committedIndex())
                .setRaftTerm(server.raftTerm())
                .setRaftAppliedIndex(server.appliedIndex())
                .setIsLearner(false)
                .setStorageVersion(Version.clusterVersion())
                .setDbSizeQuota(quotaBackendBytes)
                .addAllErrors(server.alarms().stream().map(EtcdServer::describe).toList())
                .build());
    }

    /** A CRC-32C over every bucket's name, keys and values: equal backends hash equal. */
    @Override
    public void hash(HashRequest request, StreamObserver<HashResponse> responses) {
        answer(responses, () -> {
            CRC32C crc = new CRC32C();
            try (ReadTxn txn = backend.beginRead()) {
                for (Bucket bucket : Bucket.values()) {
                    crc.update(bucket.nameBytes());
                    txn.forEach(bucket, new byte[0], null, (key, value) -> {
                        crc.update(key);
                        crc.update(value);
                        return true;
                    });
                }
            }
            return HashResponse.newBuilder().setHeader(header()).setHash((int) crc.getValue()).build();
        });
    }

    @Override
    public void hashKV(HashKVRequest request, StreamObserver<HashKVResponse> responses) {
        answer(responses, () -> {
            try {
                KeyValueHash hash = mvcc.hashByRevision(request.getRevision());
                return HashKVResponse.newBuilder().setHeader(header()).setHash(hash.hash())
                        .setCompactRevision(hash.compactRevision()).setHashRevision(hash.hashRevision()).build();
            } catch (CompactedException e) {
                throw EtcdError.COMPACTED.asException();
            } catch (FutureRevisionException e) {
                throw EtcdError.FUTURE_REV.asException();
            }
        });
    }

    /** GET lists the raised alarms (etcd's answer to a GET carries no header); the rest go through raft. */
    @Override
    public void alarm(AlarmRequest request, StreamObserver<AlarmResponse> responses) {
        server.alarm(request).whenComplete((response, error) -> {
            if (error != null) {
                responses.onError(error instanceof java.util.concurrent.CompletionException && error.getCause() != null
                        ? error.getCause() : error);
            } else {
                responses.onNext(response);
                responses.onCompleted();
            }
        });
    }

    @Override
    public void defragment(DefragmentRequest request, StreamObserver<DefragmentResponse> responses) {
        answer(responses, () -> {
            backend.defragment();
            return DefragmentResponse.newBuilder().setHeader(header()).build();
        });
    }

    /** The backend file plus its SHA-256, in chunks; etcdctl verifies the trailer. */
    @Override
    public void snapshot(SnapshotRequest request, StreamObserver<SnapshotResponse> responses) {
        StreamReadiness readiness = StreamReadiness.of(responses); // must be set up before returning
        blocking.execute(() -> {
            try (BackendSnapshot snapshot = backend.snapshot()) {
                long total = snapshot.sizeBytes(); // includes the SHA-256 trailer
                ResponseHeader header = header();
                snapshot.writeTo(new SnapshotChunks(total, header, responses, readiness));
                responses.onCompleted();
            } catch (SnapshotChunks.ClientGoneException e) {
                // The client cancelled: nothing to answer, and the read snapshot is released above.
            } catch (IOException | RuntimeException e) {
                responses.onError(Status.INTERNAL.withDescription("snapshot: " + e.getMessage()).asRuntimeException());
            }
        });
    }

    private <T> void answer(StreamObserver<T> responses, Supplier<T> work) {
        blocking.execute(() -> {
            T response;
            try {
                response = work.get();
            } catch (RuntimeException e) {
                responses.onError(e instanceof io.grpc.StatusRuntimeException ? e
                        : Status.INTERNAL.withDescription(e.getMessage()).asRuntimeException());
                return;
            }
            responses.onNext(response);
            responses.onCompleted();
        });
    }
}
