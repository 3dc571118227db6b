package io.etcdj.server.v3rpc;

import static org.assertj.core.api.Assertions.assertThat;

import io.etcdj.api.etcdserverpb.KVGrpc;
import io.etcdj.api.etcdserverpb.WatchGrpc;
import io.etcdj.api.etcdserverpb.WatchResponse;
import io.grpc.Attributes;
import io.grpc.Metadata;
import io.grpc.MethodDescriptor;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.Status;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** etcd's hasleader metadata (clientv3.WithRequireLeader), with a fake leader state. */
class RequireLeaderTest {
    private final AtomicLong leader = new AtomicLong(1);
    private final RequireLeader requireLeader = new RequireLeader(leader::get);

    /** A call that records what the server did with it. */
    private static final class FakeCall<Q, R> extends ServerCall<Q, R> {
        private final MethodDescriptor<Q, R> method;
        final List<R> sent = new ArrayList<>();
        Status closedWith;

        FakeCall(MethodDescriptor<Q, R> method) {
            this.method = method;
        }

        @Override
        public void request(int numMessages) {
        }

        @Override
        public void sendHeaders(Metadata headers) {
        }

        @Override
        public void sendMessage(R message) {
            sent.add(message);
        }

        @Override
        public void close(Status status, Metadata trailers) {
            closedWith = status;
        }

        @Override
        public boolean isCancelled() {
            return false;
        }

        @Override
        public Attributes getAttributes() {
            return Attributes.EMPTY;
        }

        @Override
        public MethodDescriptor<Q, R> getMethodDescriptor() {
            return method;
        }
    }

    private static Metadata hasLeader() {
        Metadata md = new Metadata();
        md.put(RequireLeader.KEY, "true");
        return md;
    }

    /** Starts the call through the interceptor; returns the call the service got, or null. */
    private <Q, R> ServerCall<Q, R> start(FakeCall<Q, R> call, Metadata headers) {
        List<ServerCall<Q, R>> started = new ArrayList<>();
        ServerCallHandler<Q, R> service = (c, h) -> {
            started.add(c);
            return new ServerCall.Listener<>() { };
        };
        requireLeader.interceptCall(call, headers, service);
        return started.isEmpty() ? null : started.getFirst();
    }

    @Test
    void aWatchThatRequiresALeaderIsRefusedWithEtcdsErrorWhenThereIsNone() {
        leader.set(0);
        FakeCall<?, WatchResponse> watch = new FakeCall<>(WatchGrpc.getWatchMethod());
        assertThat(start(watch, hasLeader())).as("never reaches the service").isNull();
        assertThat(watch.closedWith.getCode()).isEqualTo(Status.Code.UNAVAILABLE);
        assertThat(watch.closedWith.getDescription()).isEqualTo("etcdserver: no leader");

        FakeCall<?, ?> put = new FakeCall<>(KVGrpc.getPutMethod());
        assertThat(start(put, hasLeader())).isNull();
        assertThat(put.closedWith.getDescription()).isEqualTo("etcdserver: no leader");

        FakeCall<?, WatchResponse> plain = new FakeCall<>(WatchGrpc.getWatchMethod());
        assertThat(start(plain, new Metadata())).as("no metadata: served without a leader").isNotNull();
        assertThat(plain.closedWith).isNull();
    }

    @Test
    void openStreamsThatRequireALeaderAreClosedAfterThreeChecksWithoutOne() {
        FakeCall<?, WatchResponse> required = new FakeCall<>(WatchGrpc.getWatchMethod());
        FakeCall<?, WatchResponse> plain = new FakeCall<>(WatchGrpc.getWatchMethod());
        ServerCall<?, WatchResponse> seen = start(required, hasLeader());
        start(plain, new Metadata());
        assertThat(requireLeader.openStreams()).isEqualTo(1);

        leader.set(0);
        assertThat(requireLeader.checkLeader()).isZero();
        leader.set(7); // a new leader in between resets the count
        assertThat(requireLeader.checkLeader()).isZero();
        leader.set(0);
        assertThat(requireLeader.checkLeader()).isZero();
        assertThat(requireLeader.checkLeader()).isZero();
        assertThat(required.closedWith).as("two checks: still open").isNull();
        assertThat(requireLeader.checkLeader()).isEqualTo(1);

        assertThat(required.closedWith.getCode()).isEqualTo(Status.Code.UNAVAILABLE);
        assertThat(required.closedWith.getDescription()).isEqualTo("etcdserver: no leader");
        assertThat(plain.closedWith).as("a stream without the metadata stays").isNull();
        assertThat(requireLeader.openStreams()).isZero();
        // The watch service's sender may still be sending: dropped, never after the close.
        seen.sendMessage(WatchResponse.getDefaultInstance());
        assertThat(required.sent).isEmpty();
        assertThat(seen.isReady()).as("a waiting sender is let go").isTrue();
    }
}
