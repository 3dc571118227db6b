package io.etcdj.benchmarks.mvcc;

import io.etcdj.server.storage.backend.Backend;
import io.etcdj.server.storage.backend.BackendConfig;
import io.etcdj.server.storage.backend.WriteTxn;
import io.etcdj.server.storage.schema.Bucket;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * What one backend commit costs on this disk: {@code opsPerCommit} 256-byte writes to the key
 * bucket (sequential revision-like keys), then a forced commit, synced (default) or MDB_NOSYNC.
 * Time per op × opsPerCommit = time per commit.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class BackendCommitBenchmark {
    @Param({"true", "false"})
    public boolean sync;

    @Param({"1", "100", "10000"})
    public int opsPerCommit;

    private Path dir;
    private Backend backend;
    private long next;
    private final byte[] value = new byte[256];

    @Setup(Level.Trial)
    public void open() {
        dir = BenchDirs.create("commit-bench");
        backend = Backend.open(BackendConfig.defaults(dir.resolve("db")).withSyncCommits(sync)
                .withBatch(Integer.MAX_VALUE, Duration.ofDays(1)));
    }

    @TearDown(Level.Trial)
    public void close() {
        backend.close();
        BenchDirs.delete(dir);
    }

    @Benchmark
    public void writeThenCommit() {
        for (int i = 0; i < opsPerCommit; i++) {
            try (WriteTxn txn = backend.beginWrite()) {
                txn.put(Bucket.KEY, ByteBuffer.allocate(Long.BYTES).putLong(next++).array(), value);
            }
        }
        backend.forceCommit();
    }
}
