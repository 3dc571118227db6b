package io.etcdj.raft.quorum;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * An immutable set of node ids kept sorted (signed order of the long; ids are uint64 but only
 * a consistent order matters), so iteration order is deterministic and lookups need no boxing.
 */
public final class IdSet {

    public static final IdSet EMPTY = new IdSet(new long[0]);

    private final long[] ids;

    private IdSet(long[] sortedDistinct) {
        this.ids = sortedDistinct;
    }

    public static IdSet of(long... ids) {
        long[] copy = Arrays.stream(ids).filter(id -> id != 0).sorted().distinct().toArray();
        return copy.length == 0 ? EMPTY : new IdSet(copy);
    }

    public static IdSet of(List<Long> ids) {
        long[] raw = new long[ids.size()];
        for (int i = 0; i < raw.length; i++) {
            raw[i] = ids.get(i);
        }
        return of(raw);
    }

    public int size() {
        return ids.length;
    }

    public boolean isEmpty() {
        return ids.length == 0;
    }

    /** The i-th id in ascending order. */
    public long get(int i) {
        return ids[i];
    }

    public boolean contains(long id) {
        return Arrays.binarySearch(ids, id) >= 0;
    }

    public IdSet with(long id) {
        if (contains(id)) {
            return this;
        }
        long[] next = Arrays.copyOf(ids, ids.length + 1);
        next[ids.length] = id;
        Arrays.sort(next);
        return new IdSet(next);
    }

    public IdSet without(long id) {
        int at = Arrays.binarySearch(ids, id);
        if (at < 0) {
            return this;
        }
        long[] next = new long[ids.length - 1];
        System.arraycopy(ids, 0, next, 0, at);
        System.arraycopy(ids, at + 1, next, at, ids.length - at - 1);
        return new IdSet(next);
    }

    public IdSet union(IdSet other) {
        IdSet out = this;
        for (long id : other.ids) {
            out = out.with(id);
        }
        return out;
    }

    public long[] toArray() {
        return ids.clone();
    }

    public List<Long> toList() {
        List<Long> out = new ArrayList<>(ids.length);
        for (long id : ids) {
            out.add(id);
        }
        return List.copyOf(out);
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof IdSet that && Arrays.equals(ids, that.ids);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(ids);
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder("(");
        for (int i = 0; i < ids.length; i++) {
            if (i > 0) {
                sb.append(' ');
            }
            sb.append(Long.toUnsignedString(ids[i], 16));
        }
        return sb.append(')').toString();
    }
}
