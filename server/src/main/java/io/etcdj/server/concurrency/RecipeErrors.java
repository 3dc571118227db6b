package io.etcdj.server.concurrency;

import io.grpc.Status;
import io.grpc.StatusException;
import io.grpc.StatusRuntimeException;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;

/**
 * The errors of etcd's Lock and Election services. etcd runs these recipes through its
 * in-process client, whose errors are plain Go errors by the time the service returns them, so
 * grpc-go answers every one with code UNKNOWN and the error's text — even
 * {@code etcdserver: requested lease not found}, which the KV service itself sends as NOT_FOUND.
 * Checked against etcd 3.4.23: Leader on an empty election, Proclaim without a leader key or with
 * a stale one, and Lock with an unknown lease all answer code 2 (UNKNOWN).
 */
final class RecipeErrors {
    /** clientv3 concurrency {@code ErrElectionNotLeader}. */
    static final String NOT_LEADER = "election: not leader";
    /** clientv3 concurrency {@code ErrElectionNoLeader}. */
    static final String NO_LEADER = "election: no leader";
    /** clientv3 concurrency {@code ErrSessionExpired}: the waiter's key vanished before its turn. */
    static final String SESSION_EXPIRED = "mutex: session is expired";
    /** v3election {@code ErrMissingLeaderKey}. */
    static final String MISSING_LEADER_KEY = "\"leader\" field must be provided";

    private RecipeErrors() {
    }

    static StatusRuntimeException failure(String message) {
        return Status.UNKNOWN.withDescription(message).asRuntimeException();
    }

    /** Any error of a recipe step as the service answers it: UNKNOWN with the error's text. */
    static StatusRuntimeException toStatus(Throwable error) {
        Throwable e = unwrap(error);
        String message;
        if (e instanceof StatusRuntimeException s) {
            message = s.getStatus().getDescription();
        } else if (e instanceof StatusException s) {
            message = s.getStatus().getDescription();
        } else {
            message = e.getMessage();
        }
        // No cause attached: Armeria would map a status's cause back to its own status and code.
        return Status.UNKNOWN.withDescription(String.valueOf(message)).asRuntimeException();
    }

    static Throwable unwrap(Throwable error) {
        Throwable e = error;
        while ((e instanceof CompletionException || e instanceof ExecutionException) && e.getCause() != null) {
            e = e.getCause();
        }
        return e;
    }
}
