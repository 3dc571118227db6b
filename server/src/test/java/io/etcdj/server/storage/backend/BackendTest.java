package io.etcdj.server.storage.backend;

import static org.assertj.core.api.Assertions.assertThat;

import io.etcdj.server.storage.schema.Bucket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BackendTest {
    @TempDir
    Path dir;

    Path db() {
        return dir.resolve("member/snap/db");
    }

    static byte[] b(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void writesAreVisibleBeforeCommitAndDurableAfter() {
        try (Backend backend = Backend.open(BackendConfig.defaults(db()))) {
            try (WriteTxn tx = backend.beginWrite()) {
                tx.put(Bucket.LEASE, b("a"), b("1"));
                assertThat(tx.get(Bucket.LEASE, b("a"))).isEqualTo(b("1"));
            }
            try (ReadTxn rx = backend.beginRead()) {
                assertThat(rx.get(Bucket.LEASE, b("a"))).isEqualTo(b("1"));
            }
            backend.forceCommit();
            try (ReadTxn rx = backend.beginRead()) {
                assertThat(rx.get(Bucket.LEASE, b("a"))).isEqualTo(b("1"));
            }
        }
        try (Backend backend = Backend.open(BackendConfig.defaults(db()))) {
            try (ReadTxn rx = backend.beginRead()) {
                assertThat(rx.get(Bucket.LEASE, b("a"))).isEqualTo(b("1"));
                assertThat(rx.get(Bucket.LEASE, b("b"))).isNull();
            }
        }
    }

    @Test
    void consistentIndexCommitsAtomicallyWithItsData() {
        Backend first = Backend.open(BackendConfig.defaults(db()));
        try (WriteTxn tx = first.beginWrite()) {
            tx.put(Bucket.KEY, b("r1"), b("v1"));
            tx.setConsistentIndex(5, 2);
        }
        first.forceCommit();
        try (WriteTxn tx = first.beginWrite()) {
            tx.put(Bucket.KEY, b("r2"), b("v2"));
            tx.setConsistentIndex(6, 2);
        }
        assertThat(first.consistentIndex()).isEqualTo(6);
        first.crashForTest(); // entry 6 was applied but never committed
        try (Backend backend = Backend.open(BackendConfig.defaults(db()))) {
            assertThat(backend.consistentIndex()).isEqualTo(5);
            assertThat(backend.term()).isEqualTo(2);
            try (ReadTxn rx = backend.beginRead()) {
                assertThat(rx.get(Bucket.KEY, b("r1"))).isEqualTo(b("v1"));
                assertThat(rx.get(Bucket.KEY, b("r2"))).as("data of entry 6 lost with its index").isNull();
            }
        }
    }

    @Test
    void scansMergeBufferedAndCommittedWritesLikeAMap() {
        Random random = new Random(42);
        TreeMap<byte[], byte[]> model = new TreeMap<>(Arrays::compareUnsigned);
        BackendConfig config = BackendConfig.defaults(db()).withBatch(7, java.time.Duration.ofHours(1));
        try (Backend backend = Backend.open(config)) {
            for (int step = 0; step < 600; step++) {
                byte[] key = {(byte) random.nextInt(40)};
                try (WriteTxn tx = backend.beginWrite()) {
                    if (random.nextInt(3) == 0) {
                        tx.delete(Bucket.AUTH, key);
                        model.remove(key);
                    } else {
                        byte[] value = b("v" + step);
                        tx.put(Bucket.AUTH, key, value);
                        model.put(key, value);
                    }
                }
                if (random.nextInt(50) == 0) {
                    backend.forceCommit();
                }
                byte[] from = {(byte) random.nextInt(40)};
                byte[] to = random.nextBoolean() ? null : new byte[] {(byte) random.nextInt(40)};
                assertThat(scan(backend, from, to)).isEqualTo(expected(model, from, to));
                assertThat(get(backend, key)).isEqualTo(model.get(key));
            }
        }
    }

    private static List<String> scan(Backend backend, byte[] from, byte[] to) {
        List<String> out = new ArrayList<>();
        try (ReadTxn rx = backend.beginRead()) {
            rx.forEach(Bucket.AUTH, from, to, (k, v) -> out.add(k[0] + "=" + new String(v, StandardCharsets.UTF_8)));
        }
        return out;
    }

    private static byte[] get(Backend backend, byte[] key) {
        try (ReadTxn rx = backend.beginRead()) {
            return rx.get(Bucket.AUTH, key);
        }
    }

    private static List<String> expected(TreeMap<byte[], byte[]> model, byte[] from, byte[] to) {
        List<String> out = new ArrayList<>();
        Map<byte[], byte[]> range = to == null ? model.tailMap(from, true)
                : Arrays.compareUnsigned(from, to) >= 0 ? Map.of() : model.subMap(from, true, to, false);
        range.forEach((k, v) -> out.add(k[0] + "=" + new String(v, StandardCharsets.UTF_8)));
        return out;
    }

    @Test
    void aBatchIsHandedOverWhenItsBytesReachTheLimitAndAClosedBackendRefusesWrites() {
        BackendConfig config = BackendConfig.defaults(db()).withBatch(1_000_000, java.time.Duration.ofHours(1))
                .withBatchLimitBytes(4096);
        Backend backend = Backend.open(config);
        try (WriteTxn tx = backend.beginWrite()) {
            tx.put(Bucket.LEASE, b("small"), new byte[100]);
        }
        assertThat(backend.currentView().live().isEmpty()).as("under the limit: still buffered").isFalse();
        try (WriteTxn tx = backend.beginWrite()) {
            tx.put(Bucket.LEASE, b("big"), new byte[5000]);
        }
        assertThat(backend.currentView().live().isEmpty()).as("over the limit: handed over").isTrue();
        backend.close();
        org.assertj.core.api.Assertions.assertThatThrownBy(backend::beginWrite)
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("closed");
    }

    @Test
    void backendHashIgnoresTheConsistentIndexButNotData() {
        try (Backend a = Backend.open(BackendConfig.defaults(dir.resolve("a/db")));
                Backend b = Backend.open(BackendConfig.defaults(dir.resolve("b/db")))) {
            for (Backend backend : List.of(a, b)) {
                try (WriteTxn tx = backend.beginWrite()) {
                    tx.put(Bucket.MEMBERS, b("m1"), b("peer"));
                    tx.setConsistentIndex(backend == a ? 10 : 20, 1);
                }
            }
            b.forceCommit(); // committed or buffered: same content, same hash
            assertThat(a.hash()).isEqualTo(b.hash());
            try (WriteTxn tx = b.beginWrite()) {
                tx.put(Bucket.MEMBERS, b("m1"), b("peer2"));
            }
            assertThat(a.hash()).as("negative control: data differs").isNotEqualTo(b.hash());
        }
    }

    @Test
    void scanStopsWhenTheVisitorSaysSo() {
        try (Backend backend = Backend.open(BackendConfig.defaults(db()))) {
            for (int i = 0; i < 10; i++) {
                try (WriteTxn tx = backend.beginWrite()) {
                    tx.put(Bucket.ALARM, new byte[] {(byte) i}, b("x"));
                }
                if (i == 4) {
                    backend.forceCommit();
                }
            }
            List<Byte> seen = new ArrayList<>();
            try (ReadTxn rx = backend.beginRead()) {
                rx.forEach(Bucket.ALARM, new byte[0], null, (k, v) -> {
                    seen.add(k[0]);
                    return seen.size() < 7;
                });
            }
            assertThat(seen).containsExactly((byte) 0, (byte) 1, (byte) 2, (byte) 3, (byte) 4, (byte) 5, (byte) 6);
        }
    }

    @Test
    void sizeAccountingTracksFileAndLivePages() throws Exception {
        try (Backend backend = Backend.open(BackendConfig.defaults(db()))) {
            long empty = backend.sizeInUseBytes();
            writeMany(backend, 2000, 200);
            backend.forceCommit();
            long inUse = backend.sizeInUseBytes();
            long size = backend.sizeBytes();
            assertThat(inUse).isGreaterThan(empty + 2000L * 200);
            assertThat(size).isGreaterThanOrEqualTo(inUse);
            assertThat(Files.size(db())).isGreaterThanOrEqualTo(size);
            assertThat(backend.mapSizeBytes()).isGreaterThanOrEqualTo(BackendConfig.DEFAULT_QUOTA_BYTES);
        }
    }

    @Test
    void aCommitThatFillsTheMapGrowsItAndLosesNothing() {
        long tinyMap = 256L * 1024;
        try (Backend backend = Backend.openWithMapSize(BackendConfig.defaults(db()), tinyMap)) {
            writeMany(backend, 3000, 300); // ~1 MiB of values: four times the map
            backend.forceCommit();
            assertThat(backend.mapSizeBytes()).isGreaterThan(tinyMap);
            try (ReadTxn rx = backend.beginRead()) {
                assertThat(rx.get(Bucket.KEY, b("k002999"))).hasSize(300);
            }
        }
    }

    static void writeMany(Backend backend, int count, int valueBytes) {
        byte[] value = new byte[valueBytes];
        Arrays.fill(value, (byte) 'v');
        for (int i = 0; i < count; i++) {
            try (WriteTxn tx = backend.beginWrite()) {
                tx.put(Bucket.KEY, String.format("k%06d", i).getBytes(StandardCharsets.US_ASCII), value);
            }
        }
    }
}
