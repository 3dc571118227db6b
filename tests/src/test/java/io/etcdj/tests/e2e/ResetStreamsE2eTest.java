package io.etcdj.tests.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.etcdj.api.etcdserverpb.LeaseGrantRequest;
import io.etcdj.api.etcdserverpb.LeaseGrpc;
import io.etcdj.api.etcdserverpb.LeaseKeepAliveRequest;
import io.etcdj.api.etcdserverpb.LeaseKeepAliveResponse;
import io.etcdj.tests.framework.SpawnedEtcd;
import io.grpc.Grpc;
import io.grpc.InsecureChannelCredentials;
import io.grpc.ManagedChannel;
import io.grpc.stub.ClientCallStreamObserver;
import io.grpc.stub.ClientResponseObserver;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Go client's {@code KeepAliveOnce} opens a LeaseKeepAlive stream, reads one answer and
 * cancels the stream, which puts an HTTP/2 RST_STREAM on the wire. etcd serves any number of
 * these on one connection; an HTTP/2 server with a small reset budget (Armeria's default is 400 a
 * minute) would answer GOAWAY ENHANCE_YOUR_CALM and fail the client's calls. 1,000 such calls on
 * one connection must all succeed. Also run against the reference etcd
 * ({@link ResetStreamsReferenceE2eTest}).
 */
@Tag("e2e")
class ResetStreamsE2eTest {
    private static final int CALLS = 1_000;
    private static final long CALL_SECONDS = 10;

    @TempDir
    Path workDir;

    record Server(String endpoint, AutoCloseable process) {
    }

    Server startServer(Path dir) {
        SpawnedEtcd etcd = SpawnedEtcd.start(dir);
        return new Server(etcd.endpoint(), etcd);
    }

    @Test
    void manyKeepAliveOnceStreamsCancelledByTheClientOnOneConnection() throws Exception {
        Server server = startServer(workDir);
        ManagedChannel channel = Grpc.newChannelBuilder(server.endpoint(), InsecureChannelCredentials.create())
                .build();
        try (AutoCloseable process = server.process()) {
            long lease = LeaseGrpc.newBlockingStub(channel).withDeadlineAfter(CALL_SECONDS, TimeUnit.SECONDS)
                    .leaseGrant(LeaseGrantRequest.newBuilder().setTTL(600).build()).getID();
            for (int i = 0; i < CALLS; i++) {
                LeaseKeepAliveResponse answer = keepAliveOnce(channel, lease)
                        .get(CALL_SECONDS, TimeUnit.SECONDS);
                assertThat(answer.getID()).as("call %d answered for the lease", i).isEqualTo(lease);
                assertThat(answer.getTTL()).as("call %d renewed the lease", i).isEqualTo(600);
            }
        } finally {
            channel.shutdownNow();
        }
    }

    /** One request on a new stream; the stream is cancelled (RST_STREAM) once the answer is in. */
    private static CompletableFuture<LeaseKeepAliveResponse> keepAliveOnce(ManagedChannel channel, long lease) {
        CompletableFuture<LeaseKeepAliveResponse> answer = new CompletableFuture<>();
        LeaseGrpc.newStub(channel).leaseKeepAlive(
                new ClientResponseObserver<LeaseKeepAliveRequest, LeaseKeepAliveResponse>() {
                    private ClientCallStreamObserver<LeaseKeepAliveRequest> call;

                    @Override
                    public void beforeStart(ClientCallStreamObserver<LeaseKeepAliveRequest> requests) {
                        call = requests;
                    }

                    @Override
                    public void onNext(LeaseKeepAliveResponse response) {
                        answer.complete(response);
                        call.cancel("keep-alive once: done", null);
                    }

                    @Override
                    public void onError(Throwable t) {
                        answer.completeExceptionally(t);
                    }

                    @Override
                    public void onCompleted() {
                        answer.completeExceptionally(new IllegalStateException("stream ended without an answer"));
                    }
                }).onNext(LeaseKeepAliveRequest.newBuilder().setID(lease).build());
        return answer;
    }
}
