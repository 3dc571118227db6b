package io.etcdj.server.v3rpc;

import io.grpc.ForwardingServerCall;
import io.grpc.ForwardingServerCallListener;
import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.Status;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;

/**
 * etcd's require-leader rule for calls that carry the gRPC metadata {@code hasleader: true}
 * (clientv3.WithRequireLeader): refused with {@code Unavailable "etcdserver: no leader"} while the
 * member knows no leader; an open stream that asked for it is closed with that error once the
 * member has been without a leader for {@value #MAX_NO_LEADER_CHECKS} consecutive checks (etcd's
 * monitorLeader runs one check per election timeout; see {@link #checkLeader}). Calls without the
 * metadata are untouched.
 *
 * <p>Clock-free: whoever owns the member calls {@link #checkLeader} on its schedule, tests call it
 * directly.
 */
public final class RequireLeader implements ServerInterceptor {
    static final Metadata.Key<String> KEY = Metadata.Key.of("hasleader", Metadata.ASCII_STRING_MARSHALLER);
    /** etcd's maxNoLeaderCnt: streams survive a short election. */
    static final int MAX_NO_LEADER_CHECKS = 3;
    static final Status NO_LEADER = Status.UNAVAILABLE.withDescription("etcdserver: no leader");

    private final LongSupplier leader;
    private final Set<GuardedCall<?, ?>> streams = ConcurrentHashMap.newKeySet();
    private int checksWithoutLeader;

    /** {@code leader}: the member's current leader id, 0 when it knows none. */
    public RequireLeader(LongSupplier leader) {
        this.leader = leader;
    }

    @Override
    public <Q, R> ServerCall.Listener<Q> interceptCall(ServerCall<Q, R> call, Metadata headers,
            ServerCallHandler<Q, R> next) {
        if (!"true".equals(headers.get(KEY))) {
            return next.startCall(call, headers);
        }
        if (leader.getAsLong() == 0) {
            call.close(NO_LEADER, new Metadata());
            return new ServerCall.Listener<>() { };
        }
        if (call.getMethodDescriptor().getType().clientSendsOneMessage()
                && call.getMethodDescriptor().getType().serverSendsOneMessage()) {
            return next.startCall(call, headers);
        }
        GuardedCall<Q, R> guarded = new GuardedCall<>(call, streams);
        streams.add(guarded);
        return new ForwardingServerCallListener.SimpleForwardingServerCallListener<>(
                next.startCall(guarded, headers)) {
            @Override
            public void onCancel() {
                streams.remove(guarded); // the client went away
                super.onCancel();
            }

            @Override
            public void onComplete() {
                streams.remove(guarded);
                super.onComplete();
            }
        };
    }

    /**
     * One leader check (etcd: every election timeout). After {@value #MAX_NO_LEADER_CHECKS}
     * checks in a row without a leader, every open stream that required one is closed with
     * {@code etcdserver: no leader}. Returns how many were closed.
     */
    public synchronized int checkLeader() {
        if (leader.getAsLong() != 0) {
            checksWithoutLeader = 0;
            return 0;
        }
        checksWithoutLeader++;
        if (checksWithoutLeader < MAX_NO_LEADER_CHECKS) {
            return 0;
        }
        List<GuardedCall<?, ?>> open = List.copyOf(streams);
        open.forEach(GuardedCall::closeNoLeader);
        return open.size();
    }

    /** Open streams that asked for a leader. */
    public int openStreams() {
        return streams.size();
    }

    /**
     * A stream that may be closed from the leader check while its service is still sending:
     * every call into the underlying call is serialised, and nothing is sent after the close.
     */
    static final class GuardedCall<Q, R> extends ForwardingServerCall.SimpleForwardingServerCall<Q, R> {
        private final Set<GuardedCall<?, ?>> registry;
        private boolean closed;

        GuardedCall(ServerCall<Q, R> delegate, Set<GuardedCall<?, ?>> registry) {
            super(delegate);
            this.registry = registry;
        }

        @Override
        public synchronized void sendHeaders(Metadata headers) {
            if (!closed) {
                super.sendHeaders(headers);
            }
        }

        @Override
        public synchronized void sendMessage(R message) {
            if (!closed) {
                super.sendMessage(message);
            }
        }

        @Override
        public synchronized void request(int numMessages) {
            if (!closed) {
                super.request(numMessages);
            }
        }

        @Override
        public synchronized boolean isReady() {
            // A closed call reports ready, so a sender waiting for flow control moves on and drops.
            return closed || super.isReady();
        }

        @Override
        public synchronized void close(Status status, Metadata trailers) {
            if (!closed) {
                closed = true;
                registry.remove(this);
                super.close(status, trailers);
            }
        }

        void closeNoLeader() {
            close(NO_LEADER, new Metadata());
        }
    }
}
