package io.etcdj.server.storage.backend;

import static io.etcdj.server.storage.backend.BackendTest.b;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.etcdj.server.storage.schema.Bucket;
import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BackendMaintenanceTest {
    @TempDir
    Path dir;

    Path db() {
        return dir.resolve("member/snap/db");
    }

    private static List<String> dump(Backend backend, Bucket bucket) {
        List<String> out = new ArrayList<>();
        try (ReadTxn rx = backend.beginRead()) {
            rx.forEach(bucket, new byte[0], null, (k, v) -> out.add(new String(k, StandardCharsets.UTF_8)
                    + "=" + v.length + ":" + Arrays.hashCode(v)));
        }
        return out;
    }

    @Test
    void defragShrinksTheFileAndKeepsEveryValue() throws Exception {
        try (Backend backend = Backend.open(BackendConfig.defaults(db()))) {
            BackendTest.writeMany(backend, 3000, 300);
            backend.forceCommit();
            for (int i = 0; i < 3000; i += 3) {
                try (WriteTxn tx = backend.beginWrite()) {
                    tx.delete(Bucket.KEY, String.format("k%06d", i).getBytes(StandardCharsets.US_ASCII));
                }
            }
            try (WriteTxn tx = backend.beginWrite()) {
                tx.setConsistentIndex(77, 3);
            }
            List<String> before = dump(backend, Bucket.KEY);
            backend.forceCommit();
            long sizeBefore = backend.sizeBytes();
            backend.defragment();
            assertThat(dump(backend, Bucket.KEY)).isEqualTo(before).hasSize(2000);
            assertThat(backend.consistentIndex()).isEqualTo(77);
            assertThat(backend.sizeBytes()).isLessThan(sizeBefore);
            assertThat(Files.size(db())).isEqualTo(backend.sizeBytes());
            try (WriteTxn tx = backend.beginWrite()) {
                tx.put(Bucket.KEY, b("after"), b("defrag"));
            }
        }
        try (Backend backend = Backend.open(BackendConfig.defaults(db()))) {
            try (ReadTxn rx = backend.beginRead()) {
                assertThat(rx.get(Bucket.KEY, b("after"))).isEqualTo(b("defrag"));
            }
        }
    }

    @Test
    void aDefragInterruptedBeforeTheRenameLeavesTheOldDbAndItsTempIsRemoved() throws Exception {
        try (Backend backend = Backend.open(BackendConfig.defaults(db()))) {
            BackendTest.writeMany(backend, 10, 10);
        }
        Path tmp = db().resolveSibling("db" + Backend.DEFRAG_SUFFIX);
        Files.write(tmp, new byte[] {1, 2, 3}); // a half-written compacting copy
        try (Backend backend = Backend.open(BackendConfig.defaults(db()))) {
            assertThat(tmp).doesNotExist();
            assertThat(dump(backend, Bucket.KEY)).hasSize(10);
        }
    }

    @Test
    void aDefragWhoseCopyFailsKeepsServingTheOldDb() throws Exception {
        try (Backend backend = Backend.open(BackendConfig.defaults(db()))) {
            BackendTest.writeMany(backend, 20, 10);
            // A non-empty directory where the copy should go makes the defrag fail before the swap.
            Path tmp = db().resolveSibling("db" + Backend.DEFRAG_SUFFIX);
            Files.createDirectory(tmp);
            Files.writeString(tmp.resolve("x"), "occupied");
            assertThatThrownBy(backend::defragment).isInstanceOf(Exception.class);
            assertThat(dump(backend, Bucket.KEY)).hasSize(20);
            try (WriteTxn tx = backend.beginWrite()) {
                tx.put(Bucket.KEY, b("still"), b("writable"));
            }
            backend.forceCommit();
            assertThat(dump(backend, Bucket.KEY)).hasSize(21);
        }
    }

    @Test
    void snapshotStreamCarriesASha256TrailerAndRestoresToTheSameContent() throws Exception {
        Path snapshotFile = dir.resolve("snap.db");
        List<String> atSnapshot;
        try (Backend backend = Backend.open(BackendConfig.defaults(db()))) {
            BackendTest.writeMany(backend, 500, 100);
            atSnapshot = dump(backend, Bucket.KEY); // includes writes not yet committed
            try (BackendSnapshot snapshot = backend.snapshot()) {
                BackendTest.writeMany(backend, 600, 50); // writes continue; the copy is fixed
                try (OutputStream out = Files.newOutputStream(snapshotFile)) {
                    snapshot.writeTo(out);
                }
                assertThat(Files.size(snapshotFile)).isEqualTo(snapshot.sizeBytes());
            }
        }
        Path restored = dir.resolve("restored/member/snap/db");
        SnapshotRestore.restore(snapshotFile, restored, false);
        try (Backend backend = Backend.open(BackendConfig.defaults(restored))) {
            assertThat(dump(backend, Bucket.KEY)).isEqualTo(atSnapshot);
        }
    }

    @Test
    void aSnapshotWithOneFlippedByteIsRejected() throws Exception {
        Path snapshotFile = dir.resolve("snap.db");
        try (Backend backend = Backend.open(BackendConfig.defaults(db()))) {
            BackendTest.writeMany(backend, 50, 100);
            try (BackendSnapshot snapshot = backend.snapshot(); OutputStream out = Files.newOutputStream(snapshotFile)) {
                snapshot.writeTo(out);
            }
        }
        byte[] bytes = Files.readAllBytes(snapshotFile);
        // Negative control: the untouched file restores.
        SnapshotRestore.restore(snapshotFile, dir.resolve("ok/db"), false);
        bytes[bytes.length / 2] ^= 0x01;
        Files.write(snapshotFile, bytes);
        assertThatThrownBy(() -> SnapshotRestore.restore(snapshotFile, dir.resolve("bad/db"), false))
                .isInstanceOf(SnapshotRestore.CorruptSnapshotException.class)
                .hasMessageContaining("sha256 mismatch");
        assertThat(dir.resolve("bad/db")).doesNotExist();
        // A trailer-less file is refused unless the caller skips the hash check.
        Path raw = dir.resolve("raw.db");
        Files.write(raw, Arrays.copyOf(bytes, bytes.length - BackendSnapshot.TRAILER_BYTES));
        assertThatThrownBy(() -> SnapshotRestore.restore(raw, dir.resolve("raw/db"), false))
                .isInstanceOf(SnapshotRestore.CorruptSnapshotException.class);
    }

    @Test
    void aFlippedByteInAStoredValueIsDetectedNotServed() throws Exception {
        byte[] value = new byte[200];
        Arrays.fill(value, (byte) 'Q');
        try (Backend backend = Backend.open(BackendConfig.defaults(db()))) {
            try (WriteTxn tx = backend.beginWrite()) {
                tx.put(Bucket.MEMBERS, b("member-1"), value);
                tx.put(Bucket.MEMBERS, b("member-2"), b("fine"));
            }
        }
        flipByteInside(db(), value);
        try (Backend backend = Backend.open(BackendConfig.defaults(db()))) {
            try (ReadTxn rx = backend.beginRead()) {
                assertThat(rx.get(Bucket.MEMBERS, b("member-2"))).isEqualTo(b("fine"));
                assertThatThrownBy(() -> rx.get(Bucket.MEMBERS, b("member-1")))
                        .isInstanceOf(CorruptValueException.class)
                        .hasMessageContaining("'members'")
                        .hasMessageContaining("6d656d6265722d31"); // "member-1" in hex
            }
            assertThatThrownBy(backend::verify).isInstanceOf(CorruptValueException.class);
        }
        // Negative control: without verification the damaged bytes are served as if valid.
        try (Backend backend = Backend.open(BackendConfig.defaults(db()).withVerifyChecksums(false))) {
            try (ReadTxn rx = backend.beginRead()) {
                byte[] served = rx.get(Bucket.MEMBERS, b("member-1"));
                assertThat(served).hasSize(200).isNotEqualTo(value);
            }
        }
    }

    /** Flips one bit in the middle of the only occurrence of {@code pattern} in the file. */
    private static void flipByteInside(Path file, byte[] pattern) throws Exception {
        byte[] bytes = Files.readAllBytes(file);
        int at = -1;
        for (int i = 0; i + pattern.length <= bytes.length && at < 0; i++) {
            if (Arrays.equals(bytes, i, i + pattern.length, pattern, 0, pattern.length)) {
                at = i;
            }
        }
        assertThat(at).as("value found in the db file").isNotNegative();
        bytes[at + pattern.length / 2] ^= 0x04;
        Files.write(file, bytes);
    }

    @Test
    void verifyCountsEveryValueOfAHealthyDb() {
        try (Backend backend = Backend.open(BackendConfig.defaults(db()))) {
            BackendTest.writeMany(backend, 30, 10);
            backend.forceCommit();
            assertThat(backend.verify()).isEqualTo(30);
        }
    }

    @Test
    void snapshotStreamEndsWithTheDigestOfItsBody() throws Exception {
        try (Backend backend = Backend.open(BackendConfig.defaults(db()))) {
            BackendTest.writeMany(backend, 5, 5);
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            try (BackendSnapshot snapshot = backend.snapshot()) {
                snapshot.writeTo(out);
            }
            byte[] all = out.toByteArray();
            byte[] body = Arrays.copyOf(all, all.length - 32);
            byte[] digest = BackendSnapshot.sha256().digest(body);
            assertThat(Arrays.copyOfRange(all, all.length - 32, all.length)).isEqualTo(digest);
            assertThat(all.length % 512).isEqualTo(32);
        }
    }
}
