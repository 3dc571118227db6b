package io.etcdj.server.concurrency;

import io.etcdj.api.v3lockpb.LockGrpc;
import io.etcdj.api.v3lockpb.LockRequest;
import io.etcdj.api.v3lockpb.LockResponse;
import io.etcdj.api.v3lockpb.UnlockRequest;
import io.etcdj.api.v3lockpb.UnlockResponse;
import io.grpc.stub.StreamObserver;

/** etcd's {@code v3lockpb.Lock} service: {@link Mutex} per call, each on its own virtual thread. */
public final class LockService extends LockGrpc.LockImplBase implements AutoCloseable {
    private final Mutex mutex;
    private final BlockingCalls calls = new BlockingCalls("v3lock");

    public LockService(LocalClient client) {
        this.mutex = new Mutex(client);
    }

    @Override
    public void lock(LockRequest request, StreamObserver<LockResponse> out) {
        calls.unary(out, () -> mutex.lock(request));
    }

    @Override
    public void unlock(UnlockRequest request, StreamObserver<UnlockResponse> out) {
        calls.unary(out, () -> mutex.unlock(request));
    }

    /** Calls still running (waiting for the lock, mostly). */
    int runningCalls() {
        return calls.running();
    }

    /** Ends every call still waiting. */
    @Override
    public void close() {
        calls.close();
    }
}
