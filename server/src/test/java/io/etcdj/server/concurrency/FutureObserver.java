package io.etcdj.server.concurrency;

import io.grpc.stub.StreamObserver;
import java.util.concurrent.CompletableFuture;

/** A unary call's answer as a future (a plain observer: the call cannot be cancelled). */
final class FutureObserver<T> implements StreamObserver<T> {
    final CompletableFuture<T> answer = new CompletableFuture<>();

    @Override
    public void onNext(T value) {
        answer.complete(value);
    }

    @Override
    public void onError(Throwable error) {
        answer.completeExceptionally(error);
    }

    @Override
    public void onCompleted() {
        answer.completeExceptionally(new IllegalStateException("completed without an answer"));
    }
}
