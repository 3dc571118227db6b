package io.etcdj.server.mvcc;

import static io.etcdj.server.mvcc.MvccPropertyTest.b;
import static org.assertj.core.api.Assertions.assertThat;

import io.etcdj.api.mvccpb.KeyValue;
import io.etcdj.server.storage.backend.Backend;
import io.etcdj.server.storage.backend.BackendConfig;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Readers racing the apply thread and the compactor: every read is a consistent snapshot (each txn
 * writes all ten keys with the same value, so a read must see ten equal values), and a read is
 * either answered or refused as compacted, never torn.
 */
class MvccConcurrencyTest {
    private static final int KEYS = 10;
    private static final int TXNS = 1_500;
    private static final int READERS = 2;

    @TempDir
    Path dir;

    @Test
    void readersSeeWholeTxnsWhileWritesAndCompactionsRun() throws Exception {
        BackendConfig config = BackendConfig.defaults(dir.resolve("db")).withBatch(50, Duration.ofMillis(2));
        ConcurrentLinkedQueue<String> problems = new ConcurrentLinkedQueue<>();
        AtomicBoolean done = new AtomicBoolean();
        try (Backend backend = Backend.open(config);
                MvccStore store = MvccStore.open(backend, new MvccConfig(7, null))) {
            List<Thread> readers = new ArrayList<>();
            for (int r = 0; r < READERS; r++) {
                Thread t = new Thread(() -> readUntilDone(store, done, problems));
                t.start();
                readers.add(t);
            }
            for (int i = 1; i <= TXNS; i++) {
                try (TxnWrite txn = store.write()) {
                    for (int k = 0; k < KEYS; k++) {
                        txn.put(b("key" + k), b(Integer.toString(i)), 0);
                    }
                    txn.end();
                }
                if (i % 100 == 0) {
                    store.compact(store.currentRevision() - 50);
                }
            }
            done.set(true);
            for (Thread t : readers) {
                t.join(Duration.ofSeconds(60));
            }
        }
        assertThat(problems).isEmpty();
    }

    private static void readUntilDone(MvccStore store, AtomicBoolean done, ConcurrentLinkedQueue<String> problems) {
        long reads = 0;
        while (!done.get() && reads < 1_000_000) {
            reads++;
            try (TxnRead txn = store.read()) {
                long rev = txn.revision() - (reads % 3 == 0 ? 30 : 0);
                List<KeyValue> kvs = txn.range(b("key"), b("kez"), RangeOptions.DEFAULT.withRevision(rev)).kvs();
                if (kvs.isEmpty()) {
                    continue;
                }
                String first = kvs.get(0).getValue().toStringUtf8();
                if (kvs.size() != KEYS || kvs.stream().anyMatch(kv -> !kv.getValue().toStringUtf8().equals(first))) {
                    problems.add("torn read at " + rev + ": " + kvs);
                }
            } catch (CompactedException expected) {
                // a read at an old revision overtaken by a compaction: refused, not torn
            } catch (RuntimeException e) {
                problems.add(e.toString());
            }
        }
    }
}
