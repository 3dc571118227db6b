package io.etcdj.benchmarks.raft;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Proposals per second through a three-member in-memory cluster on one thread: the leader gets
 * a batch of proposals, then Readies and messages are pumped until every member has applied
 * them. {@code unbatched}: one proposal per Ready cycle. {@code perCall64}: 64 {@code propose}
 * calls per cycle (each appends and broadcasts on its own). {@code batched64/256}: a raft loop
 * that drains its proposal queue with one {@code proposeBatch} per cycle. Scores are per proposal
 * ({@code @OperationsPerInvocation}), so ops/s is proposals/s; {@code -prof gc} gives bytes
 * allocated per proposal (gc.alloc.rate.norm).
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class RaftProposalBenchmark {

    private static final int PAYLOAD_BYTES = 128;

    private InMemoryCluster cluster;
    private byte[] payload;

    @Setup(Level.Trial)
    public void startCluster() {
        cluster = new InMemoryCluster(3);
        payload = new byte[PAYLOAD_BYTES];
    }

    @Benchmark
    public long unbatched() {
        return proposeAndCommit(1);
    }

    /** 64 separate {@code propose} calls, then one pump: each call appends and broadcasts. */
    @Benchmark
    @OperationsPerInvocation(64)
    public long perCall64() {
        for (int i = 0; i < 64; i++) {
            // Entries own their data (Entry's contract), so each proposal gets its own array.
            cluster.leader().propose(payload.clone());
        }
        return pumpAndCheck(64);
    }

    @Benchmark
    @OperationsPerInvocation(64)
    public long batched64() {
        return proposeBatch(64);
    }

    @Benchmark
    @OperationsPerInvocation(256)
    public long batched256() {
        return proposeBatch(256);
    }

    private long proposeAndCommit(int count) {
        for (int i = 0; i < count; i++) {
            cluster.leader().propose(payload.clone());
        }
        return pumpAndCheck(count);
    }

    /** One {@code proposeBatch}: one append and one broadcast for the whole batch. */
    private long proposeBatch(int batch) {
        List<byte[]> data = new ArrayList<>(batch);
        for (int i = 0; i < batch; i++) {
            data.add(payload.clone());
        }
        cluster.leader().proposeBatch(data);
        return pumpAndCheck(batch);
    }

    private long pumpAndCheck(int batch) {
        long applied = cluster.pump();
        // The leader applies every proposal within the pump; followers may learn the commit
        // index only with the next append, so they are not counted here.
        if (applied < batch) {
            throw new IllegalStateException("applied " + applied + " entries for " + batch + " proposals");
        }
        return applied;
    }
}
