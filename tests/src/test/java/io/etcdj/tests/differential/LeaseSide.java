package io.etcdj.tests.differential;

import com.google.protobuf.ByteString;
import com.google.protobuf.Descriptors.FieldDescriptor;
import com.google.protobuf.Message;
import io.etcdj.api.etcdserverpb.LeaseGrantRequest;
import io.etcdj.api.etcdserverpb.LeaseGrantResponse;
import io.etcdj.api.etcdserverpb.LeaseKeepAliveRequest;
import io.etcdj.api.etcdserverpb.LeaseLeasesRequest;
import io.etcdj.api.etcdserverpb.LeaseLeasesResponse;
import io.etcdj.api.etcdserverpb.LeaseRevokeRequest;
import io.etcdj.api.etcdserverpb.LeaseStatus;
import io.etcdj.api.etcdserverpb.LeaseTimeToLiveRequest;
import io.etcdj.api.etcdserverpb.LeaseTimeToLiveResponse;
import io.etcdj.api.etcdserverpb.PutRequest;
import io.etcdj.api.etcdserverpb.RangeRequest;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * One server as the lease run sees it: which id it chose for each handle, the concrete request
 * for a {@link LeaseOp}, and its answers in canonical form. Canonical: every lease id it chose is
 * replaced by {@code CANONICAL_BASE - handle} (fields {@code ID} and {@code lease}, at any depth),
 * the Leases list is sorted by id and TimeToLive's keys by key, since etcd returns both in Go map
 * order. Raw ids (client-chosen, unknown) are left alone: both servers see the same ones.
 */
final class LeaseSide {

    /** Far below any id the generator uses, so a canonical id cannot collide with a raw one. */
    static final long CANONICAL_BASE = -1_000_000L;
    /** Sent for a handle whose grant failed on this side only (the run has already differed then). */
    static final long NEVER_GRANTED = 0x7ead_0000_0000L;

    private final LeaseTarget target;
    private final Map<Integer, Long> ids = new HashMap<>();
    private final Map<Long, Integer> handles = new HashMap<>();

    LeaseSide(LeaseTarget target) {
        this.target = target;
    }

    String name() {
        return target.name();
    }

    /** Sends the op as this server's request; learns the id of a server-chosen grant. */
    Outcome send(LeaseOp op) {
        Outcome outcome = target.call(request(op));
        if (op instanceof LeaseOp.Grant grant && grant.clientId() == 0 && !outcome.isError()) {
            long id = ((LeaseGrantResponse) outcome.response()).getID();
            ids.put(grant.handle(), id);
            handles.put(id, grant.handle());
        }
        return outcome;
    }

    long resolve(LeaseOp.Ref ref) {
        return ref.handle() >= 0 ? ids.getOrDefault(ref.handle(), NEVER_GRANTED + ref.handle()) : ref.raw();
    }

    Message request(LeaseOp op) {
        return switch (op) {
            case LeaseOp.Grant g -> LeaseGrantRequest.newBuilder().setTTL(g.ttl()).setID(g.clientId()).build();
            case LeaseOp.Revoke r -> LeaseRevokeRequest.newBuilder().setID(resolve(r.lease())).build();
            case LeaseOp.TimeToLive t -> LeaseTimeToLiveRequest.newBuilder().setID(resolve(t.lease())).setKeys(t.keys()).build();
            case LeaseOp.Leases l -> LeaseLeasesRequest.getDefaultInstance();
            case LeaseOp.KeepAliveOnce k -> LeaseKeepAliveRequest.newBuilder().setID(resolve(k.lease())).build();
            case LeaseOp.Put p -> PutRequest.newBuilder().setKey(ByteString.copyFrom(p.key(), StandardCharsets.UTF_8))
                    .setValue(ByteString.copyFromUtf8("v")).setLease(resolve(p.lease())).setIgnoreLease(p.ignoreLease())
                    .setPrevKv(p.prevKv()).build();
            case LeaseOp.RangeAll a -> RangeRequest.newBuilder().setKey(ByteString.copyFrom(new byte[] {0}))
                    .setRangeEnd(ByteString.copyFrom(new byte[] {0})).build();
        };
    }

    /** The answer with this server's chosen ids replaced by their handles, and Go-map orders sorted. */
    Outcome canonical(Outcome outcome) {
        if (outcome.isError()) {
            return outcome;
        }
        Message message = canonicalIds(outcome.response());
        if (message instanceof LeaseLeasesResponse leases) {
            List<LeaseStatus> sorted = new ArrayList<>(leases.getLeasesList());
            sorted.sort(Comparator.comparingLong(LeaseStatus::getID));
            message = leases.toBuilder().clearLeases().addAllLeases(sorted).build();
        } else if (message instanceof LeaseTimeToLiveResponse ttl) {
            List<ByteString> keys = new ArrayList<>(ttl.getKeysList());
            keys.sort(ByteString.unsignedLexicographicalComparator());
            message = ttl.toBuilder().clearKeys().addAllKeys(keys).build();
        }
        return Outcome.ok(message);
    }

    private Message canonicalIds(Message message) {
        Message.Builder builder = message.toBuilder();
        for (FieldDescriptor field : message.getDescriptorForType().getFields()) {
            if (field.getJavaType() == FieldDescriptor.JavaType.MESSAGE) {
                if (field.isRepeated()) {
                    for (int i = 0; i < message.getRepeatedFieldCount(field); i++) {
                        builder.setRepeatedField(field, i, canonicalIds((Message) message.getRepeatedField(field, i)));
                    }
                } else if (message.hasField(field)) {
                    builder.setField(field, canonicalIds((Message) message.getField(field)));
                }
            } else if (!field.isRepeated() && field.getJavaType() == FieldDescriptor.JavaType.LONG
                    && (field.getName().equals("ID") || field.getName().equals("lease"))) {
                long id = (Long) message.getField(field);
                Integer handle = handles.get(id);
                if (handle != null) {
                    builder.setField(field, CANONICAL_BASE - handle);
                }
            }
        }
        return builder.build();
    }

    void close() {
        target.close();
    }
}
