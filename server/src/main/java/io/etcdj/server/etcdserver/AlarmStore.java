package io.etcdj.server.etcdserver;

import io.etcdj.api.etcdserverpb.AlarmMember;
import io.etcdj.api.etcdserverpb.AlarmType;
import io.etcdj.server.storage.backend.Backend;
import io.etcdj.server.storage.backend.ReadTxn;
import io.etcdj.server.storage.backend.WriteTxn;
import io.etcdj.server.storage.schema.Bucket;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * The cluster's raised alarms (etcd's alarm store): changed only by applying committed alarm
 * requests on the apply thread, persisted in the backend's {@code alarm} bucket in the same commit
 * as the entry's consistent index, read by any thread through an immutable snapshot. An alarm
 * survives restarts until it is deactivated ({@code etcdctl alarm disarm}).
 *
 * <p>Key layout: 8-byte member id, 4-byte alarm type number (big-endian); the value is empty.
 */
final class AlarmStore {

    private static final Comparator<AlarmMember> ORDER = Comparator
            .comparing(AlarmMember::getMemberID, Long::compareUnsigned)
            .thenComparingInt(AlarmMember::getAlarmValue);

    private final Backend backend;
    /** Immutable and sorted; replaced on every change. */
    private volatile List<AlarmMember> active;

    AlarmStore(Backend backend) {
        this.backend = backend;
        List<AlarmMember> loaded = new ArrayList<>();
        try (ReadTxn txn = backend.beginRead()) {
            txn.forEach(Bucket.ALARM, new byte[0], null, (key, value) -> {
                ByteBuffer buffer = ByteBuffer.wrap(key);
                loaded.add(AlarmMember.newBuilder().setMemberID(buffer.getLong()).setAlarmValue(buffer.getInt()).build());
                return true;
            });
        }
        loaded.sort(ORDER);
        this.active = List.copyOf(loaded);
    }

    List<AlarmMember> active() {
        return active;
    }

    boolean isRaised(AlarmType type) {
        return active.stream().anyMatch(a -> a.getAlarm() == type);
    }

    /**
     * Raises {@code alarm}, persisting it with the entry's consistent index; returns it if it was
     * not already raised (then nothing is written: the caller records the index). Apply thread only.
     */
    Optional<AlarmMember> activate(AlarmMember alarm, long index, long term) {
        if (active.contains(alarm)) {
            return Optional.empty();
        }
        try (WriteTxn txn = backend.beginWrite()) {
            txn.put(Bucket.ALARM, key(alarm), new byte[0]);
            txn.setConsistentIndex(index, term);
        }
        List<AlarmMember> next = new ArrayList<>(active);
        next.add(alarm);
        next.sort(ORDER);
        active = List.copyOf(next);
        return Optional.of(alarm);
    }

    /** Clears {@code alarm} like {@link #activate}; returns it if it was raised. Apply thread only. */
    Optional<AlarmMember> deactivate(AlarmMember alarm, long index, long term) {
        if (!active.contains(alarm)) {
            return Optional.empty();
        }
        try (WriteTxn txn = backend.beginWrite()) {
            txn.delete(Bucket.ALARM, key(alarm));
            txn.setConsistentIndex(index, term);
        }
        active = active.stream().filter(a -> !a.equals(alarm)).toList();
        return Optional.of(alarm);
    }

    /** etcd's text for an alarm in Status.errors and {@code alarm list}: note the trailing space. */
    static String describe(AlarmMember alarm) {
        return "memberID:" + Long.toUnsignedString(alarm.getMemberID()) + " alarm:" + alarm.getAlarm().name() + " ";
    }

    private static byte[] key(AlarmMember alarm) {
        return ByteBuffer.allocate(12).putLong(alarm.getMemberID()).putInt(alarm.getAlarmValue()).array();
    }
}
