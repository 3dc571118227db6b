package io.etcdj.server.watch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.etcdj.api.mvccpb.Event;
import io.etcdj.server.mvcc.CompactedException;
import io.etcdj.server.mvcc.History;
import io.etcdj.server.mvcc.MvccConfig;
import io.etcdj.server.mvcc.MvccStore;
import io.etcdj.server.mvcc.TxnWrite;
import io.etcdj.server.storage.backend.Backend;
import io.etcdj.server.storage.backend.BackendConfig;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@link History} on the real LMDB-backed store gives back exactly what the apply path announced. */
class StoreHistoryTest {
    @TempDir
    Path dir;

    private Backend backend;
    private MvccStore store;
    private History history;
    private final List<Event> announced = new ArrayList<>();

    @BeforeEach
    void open() {
        backend = Backend.open(BackendConfig.defaults(dir.resolve("db")));
        store = MvccStore.open(backend, new MvccConfig(100, Runnable::run));
        store.addChangeListener((rev, events) -> announced.addAll(events));
        history = new History(store, backend);
    }

    @AfterEach
    void close() {
        store.close();
        backend.close();
    }

    @Test
    void historyEqualsTheAnnouncedEventsWithoutPrevKv() {
        put("a", "1");
        TxnWrite txn = store.write();
        txn.put(b("b"), b("2"), 0);
        txn.put(b("c"), b("3"), 0);
        txn.end(); // StoreTxnRead.close() shadows TxnWrite's default close(): end explicitly
        put("a", "4");
        TxnWrite delete = store.write();
        delete.deleteRange(b("a"), b("c"));
        delete.end();

        History.Batch all = history.read(2, store.currentRevision(), 1_000);

        assertThat(all.lastRevision()).isEqualTo(store.currentRevision());
        assertThat(all.events()).containsExactlyElementsOf(announced.stream().map(e -> e.toBuilder().clearPrevKv().build()).toList());
        assertThat(history.previous(b("a"), 4).getValue().toStringUtf8()).isEqualTo("1");
        assertThat(history.previous(b("a"), 2)).isNull();
    }

    @Test
    void aBatchStopsOnlyAtARevisionBoundary() {
        TxnWrite txn = store.write();
        txn.put(b("a"), b("1"), 0);
        txn.put(b("b"), b("1"), 0);
        txn.put(b("c"), b("1"), 0);
        txn.end();
        put("d", "1");

        History.Batch batch = history.read(2, 3, 1);

        assertThat(batch.lastRevision()).isEqualTo(2);
        assertThat(batch.events()).hasSize(3);
    }

    @Test
    void compactedSpansAreRefusedAndPrevKvBehindCompactionIsEmpty() {
        put("a", "1");
        put("a", "2");
        put("a", "3");
        store.compact(3).join();

        assertThatThrownBy(() -> history.read(2, 4, 10)).isInstanceOf(CompactedException.class);
        assertThat(history.read(3, 4, 10).events()).hasSize(2);
        assertThat(history.previous(b("a"), 3)).as("revision 2 is compacted").isNull();
        assertThat(history.previous(b("a"), 4).getValue().toStringUtf8()).isEqualTo("2");
    }

    private void put(String k, String v) {
        TxnWrite txn = store.write();
        txn.put(b(k), b(v), 0);
        txn.end();
    }

    private static byte[] b(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
