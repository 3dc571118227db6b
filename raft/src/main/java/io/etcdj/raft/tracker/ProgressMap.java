package io.etcdj.raft.tracker;

import java.util.Arrays;

/**
 * Node id → {@link Progress}, kept as parallel arrays sorted by id: clusters are small, lookups
 * need no boxing, and iteration is in ascending id order (deterministic output).
 */
public final class ProgressMap {

    private long[] ids = new long[0];
    private Progress[] progress = new Progress[0];

    /** A visitor over (id, progress) in ascending id order. */
    @FunctionalInterface
    public interface Visitor {
        void visit(long id, Progress progress);
    }

    public Progress get(long id) {
        int at = Arrays.binarySearch(ids, id);
        return at >= 0 ? progress[at] : null;
    }

    public boolean contains(long id) {
        return Arrays.binarySearch(ids, id) >= 0;
    }

    public void put(long id, Progress pr) {
        int at = Arrays.binarySearch(ids, id);
        if (at >= 0) {
            progress[at] = pr;
            return;
        }
        int insert = -at - 1;
        long[] nextIds = new long[ids.length + 1];
        Progress[] nextProgress = new Progress[ids.length + 1];
        System.arraycopy(ids, 0, nextIds, 0, insert);
        System.arraycopy(progress, 0, nextProgress, 0, insert);
        nextIds[insert] = id;
        nextProgress[insert] = pr;
        System.arraycopy(ids, insert, nextIds, insert + 1, ids.length - insert);
        System.arraycopy(progress, insert, nextProgress, insert + 1, ids.length - insert);
        ids = nextIds;
        progress = nextProgress;
    }

    public void remove(long id) {
        int at = Arrays.binarySearch(ids, id);
        if (at < 0) {
            return;
        }
        long[] nextIds = new long[ids.length - 1];
        Progress[] nextProgress = new Progress[ids.length - 1];
        System.arraycopy(ids, 0, nextIds, 0, at);
        System.arraycopy(progress, 0, nextProgress, 0, at);
        System.arraycopy(ids, at + 1, nextIds, at, ids.length - at - 1);
        System.arraycopy(progress, at + 1, nextProgress, at, ids.length - at - 1);
        ids = nextIds;
        progress = nextProgress;
    }

    public int size() {
        return ids.length;
    }

    public long idAt(int i) {
        return ids[i];
    }

    public Progress progressAt(int i) {
        return progress[i];
    }

    public void forEach(Visitor visitor) {
        for (int i = 0; i < ids.length; i++) {
            visitor.visit(ids[i], progress[i]);
        }
    }

    /** A copy whose Progress objects are copies too. */
    public ProgressMap deepCopy() {
        ProgressMap out = new ProgressMap();
        out.ids = ids.clone();
        out.progress = new Progress[progress.length];
        for (int i = 0; i < progress.length; i++) {
            out.progress[i] = progress[i].copy();
        }
        return out;
    }
}
