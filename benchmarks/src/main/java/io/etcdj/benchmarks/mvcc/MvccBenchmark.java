package io.etcdj.benchmarks.mvcc;

import io.etcdj.server.mvcc.MvccStore;
import io.etcdj.server.mvcc.RangeOptions;
import io.etcdj.server.mvcc.RangeResult;
import io.etcdj.server.mvcc.TxnRead;
import io.etcdj.server.mvcc.TxnWrite;
import io.etcdj.server.storage.backend.Backend;
import io.etcdj.server.storage.backend.BackendConfig;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * MVCC throughput with etcd's default backend cadence (synced commit every 100 ms / 10,000 writes):
 * single-put write txns over 100,000 keys of 256-byte values, point ranges, and 100-key prefix
 * ranges ("/prefix/NNN/" holds 100 keys each).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class MvccBenchmark {
    static final int KEYS = 100_000;
    static final int KEYS_PER_PREFIX = 100;

    private Path dir;
    private Backend backend;
    private MvccStore store;
    private final byte[] value = new byte[256];
    private final SplittableRandom random = new SplittableRandom(7);

    @Setup(Level.Trial)
    public void open() {
        dir = BenchDirs.create("mvcc-bench");
        backend = Backend.open(BackendConfig.defaults(dir.resolve("member/snap/db")));
        store = MvccStore.open(backend);
        for (int i = 0; i < KEYS; i++) {
            try (TxnWrite txn = store.write()) {
                txn.put(key(i), value, 0);
                txn.end();
            }
        }
        backend.forceCommit();
    }

    @TearDown(Level.Trial)
    public void close() {
        store.close();
        backend.close();
        BenchDirs.delete(dir);
    }

    static byte[] key(int i) {
        return String.format("/prefix/%03d/key-%06d", i / KEYS_PER_PREFIX, i).getBytes(StandardCharsets.US_ASCII);
    }

    @Benchmark
    public long put() {
        try (TxnWrite txn = store.write()) {
            txn.put(key(random.nextInt(KEYS)), value, 0);
            return txn.end();
        }
    }

    @Benchmark
    public RangeResult rangePoint() {
        try (TxnRead txn = store.read()) {
            return txn.range(key(random.nextInt(KEYS)), null, RangeOptions.DEFAULT);
        }
    }

    @Benchmark
    public RangeResult rangePrefix100() {
        int p = random.nextInt(KEYS / KEYS_PER_PREFIX);
        byte[] from = String.format("/prefix/%03d/", p).getBytes(StandardCharsets.US_ASCII);
        byte[] end = from.clone();
        end[end.length - 1]++;
        try (TxnRead txn = store.read()) {
            return txn.range(from, end, RangeOptions.DEFAULT);
        }
    }
}
