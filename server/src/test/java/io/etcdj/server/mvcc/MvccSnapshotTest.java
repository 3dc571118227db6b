package io.etcdj.server.mvcc;

import static io.etcdj.server.mvcc.MvccPropertyTest.b;
import static org.assertj.core.api.Assertions.assertThat;

import io.etcdj.server.storage.backend.Backend;
import io.etcdj.server.storage.backend.BackendConfig;
import io.etcdj.server.storage.backend.BackendSnapshot;
import io.etcdj.server.storage.backend.SnapshotRestore;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A member restored from another's snapshot stream has the same revision, data and HashKV. */
class MvccSnapshotTest {
    @TempDir
    Path dir;

    @Test
    void aRestoredSnapshotReopensAsTheSameStore() throws Exception {
        Path stream = dir.resolve("snapshot.db");
        KeyValueHash hash;
        long revision;
        try (Backend backend = Backend.open(BackendConfig.defaults(dir.resolve("a/member/snap/db")));
                MvccStore store = MvccStoreTest.direct(backend)) {
            for (int i = 0; i < 200; i++) {
                try (TxnWrite txn = store.write()) {
                    txn.put(b("k" + (i % 37)), b("v" + i), i % 3);
                    if (i % 11 == 0) {
                        txn.deleteRange(b("k" + (i % 5)), null);
                    }
                    txn.setConsistentIndex(1000 + i, 2);
                    txn.end();
                }
            }
            store.compact(150).join();
            hash = store.hashByRevision(0);
            revision = store.currentRevision();
            try (BackendSnapshot snapshot = backend.snapshot(); OutputStream out = Files.newOutputStream(stream)) {
                snapshot.writeTo(out);
            }
            put(store); // after the snapshot: must not appear in the restored member
        }
        Path restored = dir.resolve("b/member/snap/db");
        SnapshotRestore.restore(stream, restored, false);
        try (Backend backend = Backend.open(BackendConfig.defaults(restored));
                MvccStore store = MvccStoreTest.direct(backend)) {
            assertThat(store.currentRevision()).isEqualTo(revision);
            assertThat(store.compactRevision()).isEqualTo(150);
            assertThat(store.consistentIndex()).isEqualTo(1199);
            assertThat(store.hashByRevision(0)).isEqualTo(hash);
            try (TxnRead txn = store.read()) {
                assertThat(txn.range(b("after"), null, RangeOptions.DEFAULT).count()).isZero();
            }
        }
    }

    @Test
    void defragAfterCompactionShrinksTheFileAndChangesNothingVisible() {
        try (Backend backend = Backend.open(BackendConfig.defaults(dir.resolve("c/member/snap/db")));
                MvccStore store = MvccStoreTest.direct(backend)) {
            byte[] value = new byte[500];
            for (int i = 0; i < 2000; i++) {
                try (TxnWrite txn = store.write()) {
                    txn.put(b("k" + (i % 50)), value, 0);
                    txn.end();
                }
            }
            store.compact(store.currentRevision()).join();
            backend.forceCommit();
            KeyValueHash hash = store.hashByRevision(0);
            long before = backend.sizeBytes();
            backend.defragment();
            assertThat(backend.sizeBytes()).isLessThan(before / 4);
            assertThat(store.hashByRevision(0)).isEqualTo(hash);
            try (TxnRead txn = store.read()) {
                assertThat(txn.range(b("k"), b("l"), RangeOptions.DEFAULT).count()).isEqualTo(50);
            }
            put(store);
        }
    }

    private static void put(MvccStore store) {
        try (TxnWrite txn = store.write()) {
            txn.put(b("after"), b("snapshot"), 0);
            txn.end();
        }
    }
}
