package io.etcdj.raft;

import java.util.Arrays;

/**
 * One raft log entry. {@code data} is owned by the entry once constructed: callers must not mutate
 * the array afterwards (raft hands the same array to persistence and to the application).
 */
public record Entry(long term, long index, EntryType type, byte[] data) {

    private static final byte[] EMPTY = new byte[0];

    public Entry {
        if (type == null) {
            throw new IllegalArgumentException("entry type is null");
        }
        if (data == null) {
            data = EMPTY;
        }
    }

    /** A normal entry. */
    public static Entry of(long term, long index, byte[] data) {
        return new Entry(term, index, EntryType.NORMAL, data);
    }

    /** Payload size as raft's flow control counts it. */
    public long payloadSize() {
        return data.length;
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof Entry that
                && term == that.term
                && index == that.index
                && type == that.type
                && Arrays.equals(data, that.data);
    }

    @Override
    public int hashCode() {
        return Long.hashCode(term) * 31 * 31 + Long.hashCode(index) * 31 + Arrays.hashCode(data);
    }

    @Override
    public String toString() {
        return term + "/" + index + " " + type + " " + data.length + "B";
    }
}
