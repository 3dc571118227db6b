package io.etcdj.server.v3rpc;

import com.google.protobuf.CodedOutputStream;
import io.etcdj.api.etcdserverpb.RangeResponse;
import io.etcdj.api.etcdserverpb.RangeStreamResponse;
import io.etcdj.api.mvccpb.KeyValue;
import java.util.ArrayList;
import java.util.List;

/**
 * Splits a Range answer into RangeStream messages: kvs in order, a new message whenever the next
 * kv would take the current one past {@code maxChunkBytes} (a kv larger than that travels alone),
 * and the header, {@code more} and {@code count} on the last message only.
 */
final class RangeChunks {
    private RangeChunks() {
    }

    static List<RangeStreamResponse> split(RangeResponse full, long maxChunkBytes) {
        List<RangeStreamResponse> chunks = new ArrayList<>();
        RangeResponse.Builder current = RangeResponse.newBuilder();
        long bytes = 0;
        for (KeyValue kv : full.getKvsList()) {
            long size = CodedOutputStream.computeMessageSize(RangeResponse.KVS_FIELD_NUMBER, kv);
            if (current.getKvsCount() > 0 && bytes + size > maxChunkBytes) {
                chunks.add(RangeStreamResponse.newBuilder().setRangeResponse(current).build());
                current = RangeResponse.newBuilder();
                bytes = 0;
            }
            current.addKvs(kv);
            bytes += size;
        }
        current.setHeader(full.getHeader()).setMore(full.getMore()).setCount(full.getCount());
        chunks.add(RangeStreamResponse.newBuilder().setRangeResponse(current).build());
        return chunks;
    }
}
