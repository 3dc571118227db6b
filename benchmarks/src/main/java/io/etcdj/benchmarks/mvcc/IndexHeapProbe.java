package io.etcdj.benchmarks.mvcc;

import io.etcdj.server.mvcc.MvccStore;
import io.etcdj.server.mvcc.TxnWrite;
import io.etcdj.server.storage.backend.Backend;
import io.etcdj.server.storage.backend.BackendConfig;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

/**
 * Heap the MVCC store holds per key and per extra version (etcd's storage memory benchmark:
 * ≈120 B/key + key bytes, ≈30 B/version). Loads N keys of 64 bytes, forces the backend to commit
 * (so only the index stays on heap), and measures used heap after full GCs; then adds V-1 more
 * versions per key. Run: java ... IndexHeapProbe [keys] [versions].
 */
public final class IndexHeapProbe {
    private static final int KEY_BYTES = 64;
    private static final int GC_ROUNDS = 5;

    private IndexHeapProbe() {
    }

    public static void main(String[] args) throws Exception {
        int keys = args.length > 0 ? Integer.parseInt(args[0]) : 200_000;
        int versions = args.length > 1 ? Integer.parseInt(args[1]) : 5;
        Path dir = BenchDirs.create("heap-probe");
        try (Backend backend = Backend.open(BackendConfig.defaults(dir.resolve("db")));
                MvccStore store = MvccStore.open(backend)) {
            byte[] value = new byte[16];
            long base = usedHeap();
            writeAll(store, keys, value);
            backend.forceCommit();
            long one = usedHeap();
            for (int v = 1; v < versions; v++) {
                writeAll(store, keys, value);
            }
            backend.forceCommit();
            long many = usedHeap();
            double perKey = (double) (one - base) / keys;
            double perVersion = (double) (many - one) / ((double) keys * (versions - 1));
            System.out.printf("keys=%d keyBytes=%d: %.1f B/key incl. key (%.1f B/key excl. the %d-byte key array)%n",
                    keys, KEY_BYTES, perKey, perKey - (16 + KEY_BYTES), 16 + KEY_BYTES);
            System.out.printf("versions=%d: %.1f B per extra version%n", versions, perVersion);
            System.out.printf("indexed keys=%d%n", store.indexedKeys());
        } finally {
            BenchDirs.delete(dir);
        }
    }

    private static void writeAll(MvccStore store, int keys, byte[] value) {
        for (int i = 0; i < keys; i++) {
            try (TxnWrite txn = store.write()) {
                txn.put(key(i), value, 0);
                txn.end();
            }
        }
    }

    private static byte[] key(int i) {
        String s = String.format("/registry/pods/default/%041d", i);
        byte[] k = s.getBytes(StandardCharsets.US_ASCII);
        if (k.length != KEY_BYTES) {
            throw new IllegalStateException("key of " + k.length + " bytes");
        }
        return k;
    }

    private static long usedHeap() throws InterruptedException {
        for (int i = 0; i < GC_ROUNDS; i++) {
            System.gc();
            Thread.sleep(50);
        }
        return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
    }
}
