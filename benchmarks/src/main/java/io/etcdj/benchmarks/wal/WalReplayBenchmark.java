package io.etcdj.benchmarks.wal;

import io.etcdj.raft.Entry;
import io.etcdj.raft.HardState;
import io.etcdj.server.storage.wal.Wal;
import io.etcdj.server.storage.wal.WalOptions;
import io.etcdj.server.storage.wal.WalSnapshot;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * Start-up cost: open and replay a WAL of {@code entries} 256-byte entries (in 64 MiB segments,
 * the last one mostly preallocated zeros, as after a restart). Milliseconds per replay.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
public class WalReplayBenchmark {

    @Param({"100000"})
    public int entries;

    private Path walDir;
    private WalOptions options;

    @Setup
    public void writeWal() throws IOException {
        walDir = Files.createTempDirectory("etcdj-wal-replay").resolve("wal");
        options = WalOptions.defaults().withMaxWals(0).withPreallocateAhead(false);
        byte[] data = new byte[WalSaveBenchmark.ENTRY_DATA_BYTES];
        try (Wal wal = Wal.create(walDir, new byte[16], options)) {
            for (long index = 1; index <= entries; index += 256) {
                List<Entry> batch = new ArrayList<>(256);
                for (long i = index; i < Math.min(index + 256, entries + 1L); i++) {
                    batch.add(Entry.of(2, i, data));
                }
                wal.save(new HardState(2, 1, batch.getLast().index()), batch);
            }
        }
    }

    @Benchmark
    public int openAndReadAll() throws IOException {
        try (Wal wal = Wal.open(walDir, WalSnapshot.ZERO, options)) {
            return wal.readAll().entries().size();
        }
    }

    @TearDown
    public void remove() throws IOException {
        try (Stream<Path> paths = Files.walk(walDir.getParent())) {
            for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }
}
