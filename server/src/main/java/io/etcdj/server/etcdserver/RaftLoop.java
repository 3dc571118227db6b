package io.etcdj.server.etcdserver;

import io.etcdj.api.rpctypes.EtcdError;
import io.etcdj.raft.ConfChangeI;
import io.etcdj.raft.ConfState;
import io.etcdj.raft.HardState;
import io.etcdj.raft.MemoryStorage;
import io.etcdj.raft.ProposalDroppedException;
import io.etcdj.raft.RawNode;
import io.etcdj.raft.ReadState;
import io.etcdj.raft.Ready;
import io.etcdj.raft.Snapshot;
import io.etcdj.raft.StateType;
import io.etcdj.raft.Status;
import io.etcdj.server.storage.snap.Snapshotter;
import io.etcdj.server.storage.wal.Wal;
import io.etcdj.server.storage.wal.WalSnapshot;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The raft-loop thread: the only thread that touches the {@link RawNode}, the raft log in memory
 * and the WAL. Other threads hand it work through its mailbox; it ticks raft on the heartbeat
 * interval and processes every {@link Ready} in raft's order:
 *
 * <ol>
 *   <li>persist: snapshot (file, then WAL marker), then hard state + entries in one WAL write and
 *       <b>one fsync</b> — nothing below is released before the fsync returns;</li>
 *   <li>append the same to the in-memory raft log;</li>
 *   <li>send messages (a single member has no peers; a peer transport arrives with clustering);</li>
 *   <li>answer confirmed ReadIndex rounds;</li>
 *   <li>hand committed entries to the apply thread — a leader's own entries reach this list only
 *       after the {@code advance} that follows their fsync, so nothing is applied (and answered)
 *       before it is durable (etcd bug #14370 was the opposite);</li>
 *   <li>{@code advance}.</li>
 * </ol>
 */
final class RaftLoop {

    private static final Logger log = LoggerFactory.getLogger(RaftLoop.class);
    /** Commands queued for the loop before submitters are refused with "too many requests". */
    static final int MAILBOX_CAPACITY = 16_384;
    /** Commands run between two checks of the tick deadline and of raft's Ready. */
    private static final int MAX_COMMANDS_PER_TURN = 1_024;

    private final RawNode node;
    private final MemoryStorage raftLog;
    private final Wal wal;
    private final Snapshotter snapshotter;
    private final Consumer<List<io.etcdj.raft.Entry>> committed;
    private final Consumer<Throwable> fatal;
    private final Runnable onNewLeader;
    private final LongSupplier nanoClock;
    private final long tickNanos;
    private final int maxSnapshots;
    private final BlockingQueue<Runnable> mailbox = new LinkedBlockingQueue<>(MAILBOX_CAPACITY);
    private final Thread thread;
    private volatile boolean running = true;

    // Published for other threads (headers, status, backpressure).
    private volatile long term;
    private volatile long leader;
    private volatile long committedIndex;
    /** Loop-thread state: the vote of the last hard state saved. */
    private long vote;

    // Loop-thread state: linearizable reads waiting for a ReadIndex round, and rounds in flight.
    private final List<CompletableFuture<Long>> pendingReads = new ArrayList<>();
    private final Map<Long, List<CompletableFuture<Long>>> readRounds = new HashMap<>();
    private long nextReadRound = 1;
    // Loop-thread state: proposals of the current turn, sent to raft together.
    private final List<byte[]> proposalBatch = new ArrayList<>();
    private final List<Consumer<RuntimeException>> proposalDropHandlers = new ArrayList<>();

    RaftLoop(RawNode node, MemoryStorage raftLog, Wal wal, Snapshotter snapshotter, int maxSnapshots,
            long tickMillis, LongSupplier nanoClock, Consumer<List<io.etcdj.raft.Entry>> committed,
            Consumer<Throwable> fatal, Runnable onNewLeader) {
        this.onNewLeader = onNewLeader;
        this.node = node;
        this.raftLog = raftLog;
        this.wal = wal;
        this.snapshotter = snapshotter;
        this.maxSnapshots = maxSnapshots;
        this.tickNanos = TimeUnit.MILLISECONDS.toNanos(tickMillis);
        this.nanoClock = nanoClock;
        this.committed = committed;
        this.fatal = fatal;
        this.term = raftLog.initialState().hardState().term();
        this.committedIndex = raftLog.initialState().hardState().commit();
        this.vote = raftLog.initialState().hardState().vote();
        this.thread = Thread.ofPlatform().name("etcd-raft").unstarted(this::run);
    }

    void start() {
        thread.start();
    }

    long term() {
        return term;
    }

    long leader() {
        return leader;
    }

    long committedIndex() {
        return committedIndex;
    }

    /**
     * Queues a proposal; {@code onDropped} runs (on the loop thread) if raft refuses it. Proposals
     * that arrive in one turn of the loop reach raft as one batch: one append message per follower
     * and one WAL write for all of them.
     */
    void propose(byte[] data, Consumer<RuntimeException> onDropped) {
        submit(() -> {
            proposalBatch.add(data);
            proposalDropHandlers.add(onDropped);
        });
    }

    private void flushProposals() {
        if (proposalBatch.isEmpty()) {
            return;
        }
        try {
            node.proposeBatch(proposalBatch);
        } catch (ProposalDroppedException e) {
            proposalDropHandlers.forEach(handler -> handler.accept(e));
        } finally {
            proposalBatch.clear();
            proposalDropHandlers.clear();
        }
    }

    /** Starts an election now (a lone voter need not wait out the election timeout). */
    void campaign() {
        submit(node::campaign);
    }

    /** The index a linearizable read must wait for: concurrent reads share one ReadIndex round. */
    CompletableFuture<Long> readIndex() {
        CompletableFuture<Long> index = new CompletableFuture<>();
        submit(() -> pendingReads.add(index));
        return index;
    }

    /** Applies a committed configuration change to raft (apply thread → loop thread). */
    CompletableFuture<ConfState> applyConfChange(ConfChangeI change) {
        CompletableFuture<ConfState> result = new CompletableFuture<>();
        submit(() -> result.complete(node.applyConfChange(change)));
        return result;
    }

    CompletableFuture<Status> status() {
        CompletableFuture<Status> result = new CompletableFuture<>();
        submit(() -> result.complete(node.status()));
        return result;
    }

    /**
     * Takes a raft snapshot at {@code index} (the backend already durably holds everything up to
     * it), keeps {@code catchUpEntries} of log for slow followers, and releases WAL segments and
     * snapshot files that are no longer needed.
     */
    void snapshot(long index, ConfState confState, long catchUpEntries) {
        submit(() -> {
            try {
                Snapshot snapshot = raftLog.createSnapshot(index, confState, new byte[0]);
                snapshotter.save(snapshot);
                wal.saveSnapshot(new WalSnapshot(index, snapshot.metadata().term(), confState));
                long compactTo = index > catchUpEntries ? index - catchUpEntries : 0;
                if (compactTo > raftLog.firstIndex()) {
                    raftLog.compact(compactTo);
                }
                wal.releaseLockTo(index);
                snapshotter.purge(maxSnapshots);
                log.atInfo().addKeyValue("snapshot-index", index).addKeyValue("compacted-to", compactTo)
                        .log("saved snapshot and released the log before it");
            } catch (IOException e) {
                stopWith(e);
            }
        });
    }

    private void submit(Runnable command) {
        if (!running) {
            throw EtcdError.STOPPED.asException();
        }
        if (!mailbox.offer(command)) {
            throw EtcdError.TOO_MANY_REQUESTS.asException();
        }
    }

    void stop() {
        running = false;
        // A full mailbox needs no wake-up: the loop is busy and checks the flag after this turn.
        LoopThreads.stop(thread, () -> mailbox.offer(() -> { }));
    }

    private void run() {
        long nextTick = nanoClock.getAsLong() + tickNanos;
        try {
            while (running) {
                long wait = nextTick - nanoClock.getAsLong();
                Runnable command = wait > 0 ? mailbox.poll(wait, TimeUnit.NANOSECONDS) : mailbox.poll();
                for (int n = 0; command != null && n < MAX_COMMANDS_PER_TURN; n++) {
                    command.run();
                    command = n + 1 < MAX_COMMANDS_PER_TURN ? mailbox.poll() : null;
                }
                flushProposals();
                if (nanoClock.getAsLong() - nextTick >= 0) {
                    node.tick();
                    nextTick += tickNanos;
                }
                startReadRound();
                while (node.hasReady()) {
                    handle(node.ready());
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (IOException | RuntimeException e) {
            stopWith(e);
        } finally {
            failReads(EtcdError.STOPPED.asException());
        }
    }

    private void startReadRound() {
        if (pendingReads.isEmpty() || leader == 0) {
            return;
        }
        long round = nextReadRound++;
        readRounds.put(round, new ArrayList<>(pendingReads));
        pendingReads.clear();
        node.readIndex(ByteBuffer.allocate(8).putLong(round).array());
    }

    private void handle(Ready rd) throws IOException {
        if (rd.softState() != null) {
            updateLeadership(rd.softState().leader(), rd.softState().raftState());
        }
        if (!rd.snapshot().isEmpty()) {
            snapshotter.save(rd.snapshot());
            wal.saveSnapshot(new WalSnapshot(rd.snapshot().metadata().index(), rd.snapshot().metadata().term(),
                    rd.snapshot().metadata().confState()));
            raftLog.applySnapshot(rd.snapshot());
        }
        // Everything in the log is durable when this Ready brings no entries (a Ready carries all
        // unstable ones), so its committed entries may go to the apply thread before the WAL
        // write of a commit-index-only hard state (which is not fsynced anyway): that write is then
        // off the answer's path. etcd's raftNode hands entries to apply before its WAL save too.
        boolean applyFirst = rd.entries().isEmpty() && rd.snapshot().isEmpty() && onlyCommitChanges(rd.hardState());
        if (applyFirst && !rd.committedEntries().isEmpty()) {
            committed.accept(rd.committedEntries());
        }
        if (!rd.hardState().isEmpty() || !rd.entries().isEmpty()) {
            wal.save(rd.hardState(), rd.entries());
        }
        raftLog.append(rd.entries());
        if (!rd.hardState().isEmpty()) {
            raftLog.setHardState(rd.hardState());
            term = rd.hardState().term();
            vote = rd.hardState().vote();
            committedIndex = rd.hardState().commit();
        }
        if (!rd.messages().isEmpty()) {
            log.atDebug().addKeyValue("count", rd.messages().size()).log("dropping raft messages: no peer transport");
        }
        for (ReadState read : rd.readStates()) {
            List<CompletableFuture<Long>> waiters = readRounds.remove(ByteBuffer.wrap(read.requestContext()).getLong());
            if (waiters != null) {
                waiters.forEach(w -> w.complete(read.index()));
            }
        }
        if (!applyFirst && !rd.committedEntries().isEmpty()) {
            committed.accept(rd.committedEntries());
        }
        node.advance(rd);
    }

    /** True when saving {@code hardState} needs no fsync: empty, or only its commit index moved. */
    private boolean onlyCommitChanges(HardState hardState) {
        return hardState.isEmpty() || (hardState.term() == term && hardState.vote() == vote);
    }

    private void updateLeadership(long newLeader, StateType state) {
        if (newLeader != leader) {
            log.atInfo().addKeyValue("leader", Long.toHexString(newLeader)).addKeyValue("state", state.toString())
                    .addKeyValue("term", node.status().hardState().term()).log("raft leader changed");
            if (newLeader != 0) {
                onNewLeader.run();
            } else {
                // Rounds in flight belong to the old leader's term: their answer may never come.
                readRounds.values().forEach(round -> round.forEach(
                        w -> w.completeExceptionally(EtcdError.LEADER_CHANGED.asException())));
                readRounds.clear();
            }
        }
        leader = newLeader;
    }

    private void failReads(RuntimeException error) {
        pendingReads.forEach(w -> w.completeExceptionally(error));
        readRounds.values().forEach(round -> round.forEach(w -> w.completeExceptionally(error)));
    }

    private void stopWith(Throwable error) {
        running = false;
        log.atError().setCause(error).log("raft loop stopped: {}", error.getMessage());
        fatal.accept(error);
    }
}
