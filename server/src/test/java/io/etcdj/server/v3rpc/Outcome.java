package io.etcdj.server.v3rpc;

import com.google.protobuf.Descriptors.FieldDescriptor;
import com.google.protobuf.Message;
import io.grpc.StatusRuntimeException;
import java.util.function.Supplier;

/**
 * What one request got, in a form two servers can be compared on: the response with the top-level
 * header's cluster_id, member_id and raft_term cleared (they name the cluster, not the data), or
 * the error's code and message.
 */
record Outcome(Message response, String error) {

    static Outcome of(Supplier<? extends Message> call) {
        try {
            return new Outcome(normalize(call.get()), null);
        } catch (StatusRuntimeException e) {
            return new Outcome(null, e.getStatus().getCode() + ": " + e.getStatus().getDescription());
        }
    }

    static Message normalize(Message response) {
        FieldDescriptor header = response.getDescriptorForType().findFieldByName("header");
        if (header == null || !response.hasField(header)) {
            return response;
        }
        Message h = (Message) response.getField(header);
        Message.Builder cleared = h.toBuilder();
        for (String name : new String[] {"cluster_id", "member_id", "raft_term"}) {
            cleared.clearField(h.getDescriptorForType().findFieldByName(name));
        }
        return response.toBuilder().setField(header, cleared.build()).build();
    }

    boolean isError() {
        return error != null;
    }

    @Override
    public String toString() {
        return error != null ? "error " + error : com.google.protobuf.TextFormat.printer().shortDebugString(response);
    }
}
