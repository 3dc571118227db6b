package io.etcdj.server.mvcc;

import com.google.protobuf.InvalidProtocolBufferException;
import io.etcdj.api.mvccpb.Event;
import io.etcdj.api.mvccpb.KeyValue;

/** Turns key bucket entries into watch events (a tombstone's kv gets the deletion revision). */
final class HistoryEvents {
    private HistoryEvents() {
    }

    static Event toEvent(byte[] revKey, byte[] value) {
        Revision rev = Revision.fromBytes(revKey);
        KeyValue kv;
        try {
            kv = KeyValue.parseFrom(value);
        } catch (InvalidProtocolBufferException e) {
            throw new IllegalStateException("mvcc: undecodable KeyValue at revision " + rev, e);
        }
        if (Revision.isTombstone(revKey)) {
            return Event.newBuilder().setType(Event.EventType.DELETE)
                    .setKv(kv.toBuilder().setModRevision(rev.main())).build();
        }
        return Event.newBuilder().setType(Event.EventType.PUT).setKv(kv).build();
    }
}
