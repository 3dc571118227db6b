package io.etcdj.benchmarks.raft;

import io.etcdj.raft.Config;
import io.etcdj.raft.ConfState;
import io.etcdj.raft.Entry;
import io.etcdj.raft.MemoryStorage;
import io.etcdj.raft.Message;
import io.etcdj.raft.RawNode;
import io.etcdj.raft.Ready;
import io.etcdj.raft.Snapshot;
import io.etcdj.raft.SnapshotMetadata;
import io.etcdj.raft.StateType;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * A raft cluster in one thread: each member's Ready is persisted to its MemoryStorage, its
 * messages are stepped straight into the recipients, committed entries are counted as applied.
 * Storage is compacted as it goes so a long benchmark does not measure a growing heap.
 */
final class InMemoryCluster {

    private static final long COMPACT_EVERY_ENTRIES = 16_384;

    private final List<RawNode> nodes = new ArrayList<>();
    private final List<MemoryStorage> storages = new ArrayList<>();
    private final long[] applied;
    private final ArrayDeque<Message> wire = new ArrayDeque<>();
    private long appliedEntries;

    InMemoryCluster(int size) {
        List<Long> voters = new ArrayList<>();
        for (long id = 1; id <= size; id++) {
            voters.add(id);
        }
        ConfState cs = new ConfState(voters, List.of(), List.of(), List.of(), false);
        applied = new long[size];
        for (long id = 1; id <= size; id++) {
            MemoryStorage storage = new MemoryStorage();
            storage.applySnapshot(new Snapshot(new byte[0], new SnapshotMetadata(cs, 1, 1)));
            storages.add(storage);
            nodes.add(new RawNode(Config.builder(id, storage).applied(1).random(new SplittableRandom(id)).build()));
            applied[(int) id - 1] = 1;
        }
        nodes.get(0).campaign();
        pump();
        if (leader().status().softState().raftState() != StateType.LEADER) {
            throw new IllegalStateException("member 1 did not win the election");
        }
    }

    RawNode leader() {
        return nodes.get(0);
    }

    /** Runs Readies and deliveries until the cluster is quiet; returns entries applied meanwhile. */
    long pump() {
        long before = appliedEntries;
        boolean progress = true;
        while (progress) {
            progress = false;
            for (int i = 0; i < nodes.size(); i++) {
                RawNode node = nodes.get(i);
                while (node.hasReady()) {
                    handle(i, node, node.ready());
                    progress = true;
                }
            }
            for (Message m = wire.poll(); m != null; m = wire.poll()) {
                nodes.get((int) m.to() - 1).step(m);
                progress = true;
            }
        }
        return appliedEntries - before;
    }

    private void handle(int slot, RawNode node, Ready rd) {
        MemoryStorage storage = storages.get(slot);
        if (!rd.snapshot().isEmpty()) {
            storage.applySnapshot(rd.snapshot());
        }
        if (!rd.entries().isEmpty()) {
            storage.append(rd.entries());
        }
        if (!rd.hardState().isEmpty()) {
            storage.setHardState(rd.hardState());
        }
        wire.addAll(rd.messages());
        List<Entry> committed = rd.committedEntries();
        if (!committed.isEmpty()) {
            appliedEntries += committed.size();
            applied[slot] = committed.get(committed.size() - 1).index();
        }
        node.advance(rd);
        if (applied[slot] - storage.firstIndex() > COMPACT_EVERY_ENTRIES) {
            storage.compact(applied[slot] - 1);
        }
    }
}
