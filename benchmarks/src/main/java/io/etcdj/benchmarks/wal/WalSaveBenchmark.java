package io.etcdj.benchmarks.wal;

import io.etcdj.pkg.fileutil.PreallocationMode;
import io.etcdj.raft.Entry;
import io.etcdj.raft.HardState;
import io.etcdj.server.storage.wal.Wal;
import io.etcdj.server.storage.wal.WalOptions;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
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
 * One {@code Wal.save} per operation — a raft Ready of {@code batchSize} entries of 256 bytes
 * plus a hard state, one fsync — with 64 MiB segments preallocated ahead and released as the
 * server would. Operations/s is fsyncs/s; multiply by {@code batchSize} for records/s.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class WalSaveBenchmark {

    static final int ENTRY_DATA_BYTES = 256;

    @Param({"1", "16", "256"})
    public int batchSize;

    @Param({"ZERO_FILL"})
    public String preallocation;

    private Path dataDir;
    private Wal wal;
    private long nextIndex;
    private final List<byte[]> payloads = new ArrayList<>();

    @Setup(Level.Trial)
    public void createWal() throws IOException {
        dataDir = Files.createTempDirectory("etcdj-wal-bench");
        WalOptions options = WalOptions.defaults().withPreallocationMode(PreallocationMode.valueOf(preallocation));
        wal = Wal.create(dataDir.resolve("member/wal"), new byte[16], options);
        SplittableRandom random = new SplittableRandom(1);
        for (int i = 0; i < 1024; i++) {
            byte[] data = new byte[ENTRY_DATA_BYTES];
            for (int b = 0; b < data.length; b++) {
                data[b] = (byte) random.nextInt();
            }
            payloads.add(data);
        }
        nextIndex = 1;
    }

    @Benchmark
    public long save() throws IOException {
        List<Entry> batch = new ArrayList<>(batchSize);
        for (int i = 0; i < batchSize; i++) {
            batch.add(Entry.of(2, nextIndex, payloads.get((int) (nextIndex & 1023))));
            nextIndex++;
        }
        wal.save(new HardState(2, 1, nextIndex - 1), batch);
        return nextIndex;
    }

    @TearDown(Level.Iteration)
    public void release() throws IOException {
        // As the server does once the backend holds everything: lets --max-wals purge old files.
        wal.releaseLockTo(nextIndex - 1);
    }

    @TearDown(Level.Trial)
    public void remove() throws IOException {
        wal.close();
        try (Stream<Path> paths = Files.walk(dataDir)) {
            for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }
}
