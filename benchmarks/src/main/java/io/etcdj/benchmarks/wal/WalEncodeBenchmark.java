package io.etcdj.benchmarks.wal;

import io.etcdj.raft.Entry;
import io.etcdj.raft.HardState;
import io.etcdj.server.storage.wal.Wal;
import io.etcdj.server.storage.wal.WalOptions;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * The WAL's CPU cost per 256-byte entry with the device taken out ({@link NullDisk}): what a
 * save costs on top of its fsync. Reported as entries per second (256 entries per operation).
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class WalEncodeBenchmark {

    static final int BATCH = 256;

    @Param({"256"})
    public int entryDataBytes;

    private Wal wal;
    private long nextIndex;
    private byte[] data;

    @Setup
    public void createWal() throws IOException {
        WalOptions options = WalOptions.defaults().withDisk(new NullDisk()).withPreallocateAhead(false);
        wal = Wal.create(Path.of("/null/member/wal"), new byte[16], options);
        data = new byte[entryDataBytes];
        nextIndex = 1;
    }

    @Benchmark
    @OperationsPerInvocation(BATCH)
    public long save256() throws IOException {
        List<Entry> batch = new ArrayList<>(BATCH);
        for (int i = 0; i < BATCH; i++) {
            batch.add(Entry.of(2, nextIndex++, data));
        }
        wal.save(new HardState(2, 1, nextIndex - 1), batch);
        return nextIndex;
    }

    @TearDown
    public void close() throws IOException {
        wal.close();
    }
}
