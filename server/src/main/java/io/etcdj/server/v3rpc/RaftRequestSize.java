package io.etcdj.server.v3rpc;

import com.google.protobuf.CodedOutputStream;
import com.google.protobuf.MessageLite;

/**
 * The size etcd compares with {@code --max-request-bytes}: not the gRPC request, but the raft
 * proposal it becomes, an {@code InternalRaftRequest} holding a {@code RequestHeader} and the
 * request in its own field. etcd answers {@code request is too large} when that exceeds the limit.
 *
 * <p>The header holds etcd's request ID, whose varint takes 9 or 10 bytes depending on the member
 * ID; we count 10, so a request within a byte of the limit may be refused here and accepted by
 * etcd, never the other way round. Auth adds the user name and auth revision to etcd's header;
 * this measure leaves them out (they are the server core's to add when auth lands).
 */
final class RaftRequestSize {
    /** InternalRaftRequest field numbers (etcd's raft_internal.proto). */
    static final int PUT_FIELD = 4;
    static final int DELETE_RANGE_FIELD = 5;
    static final int TXN_FIELD = 6;
    static final int COMPACTION_FIELD = 7;
    private static final int HEADER_FIELD = 100;
    /** RequestHeader{ID: 10-byte varint}: one tag byte plus the varint. */
    private static final int HEADER_BODY_BYTES = 1 + 10;

    private RaftRequestSize() {
    }

    static long of(int field, MessageLite request) {
        long header = CodedOutputStream.computeTagSize(HEADER_FIELD)
                + CodedOutputStream.computeUInt32SizeNoTag(HEADER_BODY_BYTES) + HEADER_BODY_BYTES;
        return header + CodedOutputStream.computeMessageSize(field, request);
    }
}
