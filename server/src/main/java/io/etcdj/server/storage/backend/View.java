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
record View(Overlay live, List<Overlay> frozen) {

    View rotated(Overlay newLive) {
        List<Overlay> next = new ArrayList<>(frozen.size() + 1);
        next.add(live);
        next.addAll(frozen);
        return new View(newLive, List.copyOf(next));
    }

    View committed(Overlay batch) {
        List<Overlay> next = new ArrayList<>(frozen);
        Checks.check(next.remove(batch), "committed batch %d is not pending", batch.sequence);
        return new View(live, List.copyOf(next));
    }

    /** Newest first: live, then frozen batches from newest to oldest. */
    List<Overlay> newestFirst() {
        List<Overlay> all = new ArrayList<>(frozen.size() + 1);
        all.add(live);
        all.addAll(frozen);
        return all;
    }
}
