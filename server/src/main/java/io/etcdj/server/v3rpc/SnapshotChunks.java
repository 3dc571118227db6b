package io.etcdj.server.v3rpc;

import com.google.protobuf.ByteString;
import io.etcdj.api.etcdserverpb.ResponseHeader;
import io.etcdj.api.etcdserverpb.SnapshotResponse;
import io.grpc.stub.StreamObserver;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.io.OutputStream;

/**
 * Buffers the snapshot bytes into stream messages with etcd's remaining_bytes countdown. Each
 * message waits for gRPC flow control, so a slow reader of a multi-GB database holds one chunk
 * in memory here, not the whole file in the transport's queue.
 */
final class SnapshotChunks extends OutputStream {

    /** Bytes per Snapshot stream message; etcd sends 32 KiB chunks. */
    static final int CHUNK_BYTES = 32 * 1024;

    /** Thrown out of the copy when the client cancels the Snapshot stream. */
    static final class ClientGoneException extends IOException {
        ClientGoneException() {
            super("snapshot stream cancelled by the client");
        }
    }

    private final byte[] chunk = new byte[CHUNK_BYTES];
    private final StreamObserver<SnapshotResponse> responses;
    private final StreamReadiness readiness;
    private final ResponseHeader header;
    private long remaining;
    private int filled;

    SnapshotChunks(long total, ResponseHeader header, StreamObserver<SnapshotResponse> responses,
            StreamReadiness readiness) {
        this.remaining = total;
        this.header = header;
        this.responses = responses;
        this.readiness = readiness;
    }

    @Override
    public void write(int b) throws IOException {
        chunk[filled++] = (byte) b;
        if (filled == chunk.length) {
            flush();
        }
    }

    @Override
    public void write(byte[] bytes, int offset, int length) throws IOException {
        while (length > 0) {
            int n = Math.min(length, chunk.length - filled);
            System.arraycopy(bytes, offset, chunk, filled, n);
            filled += n;
            offset += n;
            length -= n;
            if (filled == chunk.length) {
                flush();
            }
        }
    }

    @Override
    public void flush() throws IOException {
        if (filled == 0) {
            return;
        }
        awaitReady();
        remaining -= filled;
        responses.onNext(SnapshotResponse.newBuilder().setHeader(header).setRemainingBytes(remaining)
                .setBlob(ByteString.copyFrom(chunk, 0, filled)).build());
        filled = 0;
    }

    @Override
    public void close() throws IOException {
        flush();
    }

    private void awaitReady() throws IOException {
        if (readiness == null) {
            return;
        }
        try {
            if (!readiness.awaitReady()) {
                throw new ClientGoneException();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("snapshot stream interrupted");
        }
    }
}
