package io.etcdj.server.mvcc;

import static org.assertj.core.api.Assertions.assertThat;

import io.etcdj.api.mvccpb.Event;
import io.etcdj.api.mvccpb.KeyValue;
import io.etcdj.server.storage.backend.Backend;
import io.etcdj.server.storage.backend.BackendConfig;
import io.etcdj.server.storage.backend.ReadTxn;
import io.etcdj.server.storage.schema.Bucket;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;

/**
 * The store against {@link MvccModel} over random histories on a small key space: every range (all
 * options, past revisions, after compaction, inside txns), every event, HashKV, the key bucket's
 * contents after compaction, and all of it again after restarts.
 */
class MvccPropertyTest {
    private static final String[] KEYS = {"a", "b", "c", "d", "e", "f"};

    /** Found by the property: put, delete, put of one key in one txn, then compaction at that txn. */
    @org.junit.jupiter.api.Test
    void regressionGenerationsWithinOneRevision() throws Exception {
        Path dir = Files.createTempDirectory("mvcc-prop");
        try {
            new Run(dir, new Random(2334377305L), false).go(59);
        } finally {
            deleteTree(dir);
        }
    }

    /** Negative control: the same harness with one planted divergence must fail. */
    @org.junit.jupiter.api.Test
    void theHarnessCatchesAPlantedRangeBug() throws Exception {
        Path dir = Files.createTempDirectory("mvcc-prop");
        try {
            Run run = new Run(dir, new Random(1), false);
            run.model.plantedCountBug = true;
            org.assertj.core.api.Assertions.assertThatThrownBy(() -> run.go(200))
                    .isInstanceOf(AssertionError.class).hasMessageContaining("range");
        } finally {
            deleteTree(dir);
        }
    }

    @Property(tries = 80)
    void storeAnswersLikeTheModel(@ForAll long seed, @ForAll @IntRange(min = 10, max = 90) int steps,
            @ForAll boolean asyncCompaction) throws Exception {
        Path dir = Files.createTempDirectory("mvcc-prop");
        try {
            new Run(dir, new Random(seed), asyncCompaction).go(steps);
        } finally {
            deleteTree(dir);
        }
    }

    private static final class Run {
        final Path db;
        final Random random;
        final boolean async;
        final MvccModel model = new MvccModel();
        final List<List<Event>> seen = new ArrayList<>();
        ExecutorService executor;
        Backend backend;
        MvccStore store;
        final List<java.util.concurrent.CompletableFuture<Void>> compactions = new ArrayList<>();

        Run(Path dir, Random random, boolean async) {
            this.db = dir.resolve("member/snap/db");
            this.random = random;
            this.async = async;
        }

        void open() {
            backend = Backend.open(BackendConfig.defaults(db).withBatch(1 + random.nextInt(20),
                    java.time.Duration.ofMillis(5)));
            executor = async ? Executors.newSingleThreadExecutor() : null;
            store = MvccStore.open(backend, new MvccConfig(1 + random.nextInt(4), async ? executor : Runnable::run));
            store.addChangeListener((rev, events) -> seen.add(events));
        }

        void close() {
            compactions.forEach(java.util.concurrent.CompletableFuture::join);
            compactions.clear();
            store.close();
            if (executor != null) {
                executor.shutdownNow();
            }
            backend.close();
        }

        void go(int steps) {
            open();
            try {
                for (int i = 0; i < steps; i++) {
                    step();
                }
                finalChecks();
            } finally {
                close();
            }
        }

        void step() {
            int op = random.nextInt(100);
            if (op < 35) {
                txn(1);
            } else if (op < 55) {
                txn(1 + random.nextInt(4));
            } else if (op < 80) {
                checkRange(store.read(), "read");
            } else if (op < 88) {
                compact();
            } else if (op < 94) {
                checkHash();
            } else {
                close();
                open();
                assertThat(store.currentRevision()).isEqualTo(model.currentRev);
                assertThat(store.compactRevision()).isEqualTo(model.compactRev);
            }
        }

        void txn(int ops) {
            try (TxnWrite txn = store.write()) {
                for (int i = 0; i < ops; i++) {
                    int kind = random.nextInt(10);
                    if (kind < 6) {
                        String k = key();
                        String v = "v" + random.nextInt(5);
                        long lease = random.nextInt(3);
                        txn.put(b(k), b(v), lease);
                        model.put(k, v, lease);
                    } else if (kind < 8) {
                        String k = key();
                        String end = end(k);
                        assertThat(txn.deleteRange(b(k), end == null ? null : b(end)))
                                .isEqualTo(model.deleteRange(k, end));
                    } else {
                        checkRange(txn, "in txn");
                    }
                }
                txn.setConsistentIndex(model.currentRev * 10, 1);
                long before = seen.size();
                long rev = txn.end();
                List<Event> expected = model.end();
                assertThat(rev).isEqualTo(model.currentRev);
                if (expected.isEmpty()) {
                    assertThat(seen).hasSize((int) before);
                } else {
                    assertThat(seen.get(seen.size() - 1)).isEqualTo(expected);
                }
            }
        }

        void checkRange(TxnRead txn, String where) {
            try {
                String k = key();
                String end = end(k);
                RangeOptions o = options();
                Object expected = model.range(k, end, o);
                Object actual;
                try {
                    actual = txn.range(b(k), end == null ? null : b(end), o);
                } catch (CompactedException | FutureRevisionException e) {
                    actual = e.getClass();
                }
                assertThat(actual).as("%s range [%s, %s) %s", where, k, end, o).isEqualTo(expected);
            } finally {
                if (!(txn instanceof TxnWrite)) {
                    txn.close(); // a leaked read txn would block the backend's close
                }
            }
        }

        void compact() {
            long rev = model.compactRev - 1 + random.nextInt((int) (model.currentRev - model.compactRev) + 3);
            try {
                compactions.add(store.compact(rev));
                assertThat(rev).isGreaterThan(model.compactRev).isLessThanOrEqualTo(model.currentRev);
                model.compactRev = rev;
            } catch (CompactedException e) {
                assertThat(rev).isLessThanOrEqualTo(model.compactRev);
            } catch (FutureRevisionException e) {
                assertThat(rev).isGreaterThan(model.currentRev);
            }
        }

        void checkHash() {
            long low = Math.max(1, model.compactRev);
            long rev = low + random.nextInt((int) (model.currentRev - low) + 1);
            KeyValueHash h = store.hashByRevision(rev);
            assertThat(h.hashRevision()).isEqualTo(rev);
            assertThat(h.compactRevision()).isEqualTo(model.compactRev);
            assertThat(h.hash()).as("hash at %d", rev).isEqualTo(model.hash(rev));
        }

        Map<String, KeyValue> bucketDump() {
            Map<String, KeyValue> bucket = new TreeMap<>();
            try (ReadTxn txn = backend.beginRead()) {
                txn.forEach(Bucket.KEY, new byte[0], null, (k, v) -> {
                    try {
                        bucket.put(HexFormat.of().formatHex(k), KeyValue.parseFrom(v));
                    } catch (IOException e) {
                        throw new IllegalStateException(e);
                    }
                    return true;
                });
            }
            return bucket;
        }

        void finalChecks() {
            compactions.forEach(java.util.concurrent.CompletableFuture::join);
            assertThat(bucketDump()).as("key bucket after compaction at %d", model.compactRev)
                    .isEqualTo(model.survivors());
            assertThat(store.hashByRevision(0).hash()).isEqualTo(model.hash(model.currentRev));
            assertThat(store.consistentIndex()).isEqualTo(backend.consistentIndex());
        }

        RangeOptions options() {
            RangeOptions o = RangeOptions.DEFAULT;
            if (random.nextInt(3) == 0) {
                o = o.withLimit(1 + random.nextInt(4));
            }
            if (random.nextInt(3) == 0) {
                o = o.withRevision(revision());
            }
            if (random.nextInt(3) == 0) {
                o = o.withSort(RangeOptions.SortOrder.values()[random.nextInt(3)],
                        RangeOptions.SortTarget.values()[random.nextInt(5)]);
            }
            o = o.withKeysOnly(random.nextInt(5) == 0).withCountOnly(random.nextInt(6) == 0);
            if (random.nextInt(4) == 0) {
                o = o.withModRange(random.nextBoolean() ? 0 : revision(), random.nextBoolean() ? 0 : revision());
            }
            if (random.nextInt(4) == 0) {
                o = o.withCreateRange(random.nextBoolean() ? 0 : revision(), random.nextBoolean() ? 0 : revision());
            }
            return o;
        }

        long revision() {
            return random.nextInt((int) model.currentRev + 3) - 1;
        }

        String key() {
            return KEYS[random.nextInt(KEYS.length)];
        }

        String end(String k) {
            int c = random.nextInt(4);
            return c == 0 ? null : c == 1 ? "\0" : KEYS[random.nextInt(KEYS.length)];
        }
    }

    static byte[] b(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    static void deleteTree(Path dir) throws IOException {
        try (var paths = Files.walk(dir)) {
            for (Path p : paths.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }
}
