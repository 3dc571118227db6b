package io.etcdj.server.storage.backend;

import java.util.ArrayList;
import java.util.List;

/**
 * What a reader must consult besides LMDB: the live batch and the frozen batches not yet committed,
 * newest first. Immutable; the backend swaps in a new one on every rotation and commit.
 *
 * <p>Why a reader never misses a write: it captures the view first and borrows an LMDB read txn
 * after. A batch leaves the view only after its LMDB commit returned, so a batch missing from the
 * captured view is already visible to any read txn renewed afterwards.
 */
final class View {
    private final Overlay live;
    /** Frozen batches, newest first. */
    private final List<Overlay> frozen;
    /** live followed by frozen: the order a lookup consults them. */
    private final Overlay[] newestFirst;

    View(Overlay live, List<Overlay> frozen) {
        this.live = live;
        this.frozen = List.copyOf(frozen);
        this.newestFirst = new Overlay[frozen.size() + 1];
        newestFirst[0] = live;
        for (int i = 0; i < frozen.size(); i++) {
            newestFirst[i + 1] = frozen.get(i);
        }
    }

    Overlay live() {
        return live;
    }

    View rotated(Overlay newLive) {
        List<Overlay> next = new ArrayList<>(frozen.size() + 1);
        next.add(live);
        next.addAll(frozen);
        return new View(newLive, next);
    }

    View committed(Overlay batch) {
        List<Overlay> next = new ArrayList<>(frozen);
        Checks.check(next.remove(batch), "committed batch %d is not pending", batch.sequence);
        return new View(live, next);
    }

    /** Live first, then frozen batches from newest to oldest. Callers must not modify it. */
    Overlay[] newestFirst() {
        return newestFirst;
    }
}
