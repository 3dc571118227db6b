package io.etcdj.tests.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import io.etcdj.api.etcdserverpb.KVGrpc;
import io.etcdj.api.etcdserverpb.PutRequest;
import io.etcdj.api.etcdserverpb.RangeRequest;
import io.etcdj.api.etcdserverpb.RequestOp;
import io.etcdj.api.etcdserverpb.TxnRequest;
import io.etcdj.tests.framework.ReferenceEtcd;
import io.etcdj.tests.framework.SpawnedEtcd;
import io.grpc.CallOptions;
import io.grpc.Grpc;
import io.grpc.InsecureChannelCredentials;
import io.grpc.ManagedChannel;
import io.grpc.MethodDescriptor;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.ClientCalls;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Bad input through the wire, to the reference etcd and to etcdj alike: each request gets etcd's
 * error (code and message) and leaves the store unchanged (same revision, the probe key intact).
 * Malformed protobuf is compared by code: the message is the gRPC library's own text, which
 * differs between grpc-go and grpc-java.
 */
@Tag("e2e")
class BadInputE2eTest {

    private static final int MAX_REQUEST_BYTES = 1_572_864;

    @TempDir
    Path workDir;

    @Test
    void everyBadRequestGetsEtcdsErrorAndChangesNothing() {
        try (ReferenceEtcd reference = ReferenceEtcd.start(workDir.resolve("ref"), 10_000);
                SpawnedEtcd etcdj = SpawnedEtcd.start(workDir)) {
            for (String endpoint : new String[] {reference.endpoint(), etcdj.endpoint()}) {
                ManagedChannel channel = Grpc.newChannelBuilder(endpoint, InsecureChannelCredentials.create())
                        .maxInboundMessageSize(Integer.MAX_VALUE).build();
                try {
                    checkEveryCase(endpoint, channel);
                } finally {
                    channel.shutdownNow();
                }
            }
        }
    }

    private static void checkEveryCase(String endpoint, ManagedChannel channel) {
        KVGrpc.KVBlockingStub kv = KVGrpc.newBlockingStub(channel).withDeadlineAfter(20, TimeUnit.SECONDS);
        kv.put(PutRequest.newBuilder().setKey(bytes("probe")).setValue(bytes("v")).build());
        long revision = revision(kv);

        refused(endpoint, kv, revision, Status.Code.INVALID_ARGUMENT, "etcdserver: key is not provided",
                stub -> stub.put(PutRequest.newBuilder().setValue(bytes("x")).build()));
        refused(endpoint, kv, revision, Status.Code.INVALID_ARGUMENT, "etcdserver: request is too large",
                stub -> stub.put(PutRequest.newBuilder().setKey(bytes("big"))
                        .setValue(ByteString.copyFrom(new byte[MAX_REQUEST_BYTES + 1])).build()));
        TxnRequest.Builder tooMany = TxnRequest.newBuilder();
        for (int i = 0; i <= 128; i++) {
            tooMany.addSuccess(RequestOp.newBuilder().setRequestPut(PutRequest.newBuilder().setKey(bytes("t" + i))));
        }
        refused(endpoint, kv, revision, Status.Code.INVALID_ARGUMENT, "etcdserver: too many operations in txn request",
                stub -> stub.txn(tooMany.build()));
        refused(endpoint, kv, revision, Status.Code.INVALID_ARGUMENT, "etcdserver: duplicate key given in txn request",
                stub -> stub.txn(TxnRequest.newBuilder()
                        .addSuccess(RequestOp.newBuilder().setRequestPut(PutRequest.newBuilder().setKey(bytes("d"))))
                        .addSuccess(RequestOp.newBuilder().setRequestPut(PutRequest.newBuilder().setKey(bytes("d"))))
                        .build()));
        refused(endpoint, kv, revision, Status.Code.INVALID_ARGUMENT, "etcdserver: key is not provided",
                stub -> stub.range(RangeRequest.newBuilder().build()));
        malformed(endpoint, channel, kv, revision);
    }

    private static void refused(String endpoint, KVGrpc.KVBlockingStub kv, long revision, Status.Code code,
            String message, Consumer<KVGrpc.KVBlockingStub> call) {
        StatusRuntimeException error = org.assertj.core.api.Assertions.catchThrowableOfType(
                StatusRuntimeException.class, () -> call.accept(kv));
        assertThat(error).as(endpoint + ": " + message).isNotNull();
        assertThat(error.getStatus().getCode()).as(endpoint).isEqualTo(code);
        assertThat(error.getStatus().getDescription()).as(endpoint).isEqualTo(message);
        assertThat(revision(kv)).as(endpoint + ": revision after a refused request").isEqualTo(revision);
    }

    /** Bytes that are not a PutRequest (a field tag with a truncated length-delimited value). */
    private static void malformed(String endpoint, ManagedChannel channel, KVGrpc.KVBlockingStub kv, long revision) {
        MethodDescriptor<byte[], byte[]> rawPut = KVGrpc.getPutMethod().toBuilder(new RawBytes(), new RawBytes()).build();
        byte[] garbage = {0x0a, 0x7f, 0x01, 0x02};
        StatusRuntimeException error = org.assertj.core.api.Assertions.catchThrowableOfType(StatusRuntimeException.class,
                () -> ClientCalls.blockingUnaryCall(channel, rawPut, CallOptions.DEFAULT.withDeadlineAfter(20, TimeUnit.SECONDS),
                        garbage));
        assertThat(error).as(endpoint + ": malformed protobuf").isNotNull();
        assertThat(error.getStatus().getCode()).as(endpoint).isEqualTo(Status.Code.INTERNAL);
        assertThat(revision(kv)).as(endpoint + ": revision after malformed protobuf").isEqualTo(revision);
        assertThat(kv.range(RangeRequest.newBuilder().setKey(bytes("probe")).build()).getKvs(0).getValue())
                .isEqualTo(bytes("v"));
    }

    private static long revision(KVGrpc.KVBlockingStub kv) {
        return kv.range(RangeRequest.newBuilder().setKey(bytes("probe")).build()).getHeader().getRevision();
    }

    private static ByteString bytes(String text) {
        return ByteString.copyFromUtf8(text);
    }

    private static final class RawBytes implements MethodDescriptor.Marshaller<byte[]> {
        @Override
        public InputStream stream(byte[] value) {
            return new ByteArrayInputStream(value);
        }

        @Override
        public byte[] parse(InputStream stream) {
            try {
                return stream.readAllBytes();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }
}
