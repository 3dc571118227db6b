package io.etcdj.server.mvcc;

import static io.etcdj.server.mvcc.MvccPropertyTest.b;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.etcdj.api.mvccpb.Event;
import io.etcdj.api.mvccpb.KeyValue;
import io.etcdj.server.storage.backend.Backend;
import io.etcdj.server.storage.backend.BackendConfig;
import io.etcdj.server.storage.backend.ReadTxn;
import io.etcdj.server.storage.schema.Bucket;
import io.etcdj.server.storage.schema.MetaKeys;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MvccStoreTest {
    @TempDir
    Path dir;

    Backend openBackend() {
        return Backend.open(BackendConfig.defaults(dir.resolve("member/snap/db")));
    }

    static MvccStore direct(Backend backend) {
        return MvccStore.open(backend, new MvccConfig(MvccConfig.DEFAULT_COMPACTION_BATCH_LIMIT, Runnable::run));
    }

    static long put(MvccStore store, String k, String v) {
        try (TxnWrite txn = store.write()) {
            txn.put(b(k), b(v), 0);
            return txn.end();
        }
    }

    static KeyValue get(TxnRead txn, String k) {
        List<KeyValue> kvs = txn.range(b(k), null, RangeOptions.DEFAULT).kvs();
        return kvs.isEmpty() ? null : kvs.get(0);
    }

    @Test
    void revisionsFollowEtcd() {
        try (Backend backend = openBackend(); MvccStore store = direct(backend)) {
            assertThat(store.currentRevision()).as("an empty store is at revision 1").isEqualTo(1);
            assertThat(put(store, "foo", "bar")).as("first write").isEqualTo(2);
            try (TxnWrite txn = store.write()) {
                assertThat(txn.deleteRange(b("nothing"), null)).isZero();
                assertThat(txn.end()).as("a txn that changed nothing keeps the revision").isEqualTo(2);
            }
            put(store, "foo", "baz");
            try (TxnWrite txn = store.write()) {
                txn.deleteRange(b("foo"), null);
                txn.end();
            }
            put(store, "foo", "again");
            try (TxnRead txn = store.read()) {
                KeyValue kv = get(txn, "foo");
                assertThat(kv.getCreateRevision()).as("recreated after delete").isEqualTo(5);
                assertThat(kv.getVersion()).isEqualTo(1);
                assertThat(get(txn, "foo").getModRevision()).isEqualTo(5);
                KeyValue old = txn.range(b("foo"), null, RangeOptions.DEFAULT.withRevision(3)).kvs().get(0);
                assertThat(old.getVersion()).isEqualTo(2);
                assertThat(old.getValue().toStringUtf8()).isEqualTo("baz");
                assertThat(txn.range(b("foo"), null, RangeOptions.DEFAULT.withRevision(4)).kvs()).isEmpty();
            }
        }
    }

    @Test
    void aTxnSeesItsOwnWritesAndReadersDoNotUntilItEnds() {
        try (Backend backend = openBackend(); MvccStore store = direct(backend)) {
            List<List<Event>> seen = new ArrayList<>();
            store.addChangeListener((rev, events) -> seen.add(events));
            put(store, "a", "1");
            TxnWrite txn = store.write();
            txn.put(b("a"), b("2"), 7);
            txn.put(b("b"), b("x"), 0);
            assertThat(get(txn, "a").getValue().toStringUtf8()).isEqualTo("2");
            assertThat(txn.range(b("a"), b("\0"), RangeOptions.DEFAULT).count()).isEqualTo(2);
            try (TxnRead reader = store.read()) {
                assertThat(get(reader, "a").getValue().toStringUtf8()).isEqualTo("1");
                assertThat(get(reader, "b")).isNull();
            }
            assertThat(txn.deleteRange(b("a"), null)).isEqualTo(1);
            assertThat(txn.end()).isEqualTo(3);
            assertThat(seen).hasSize(2);
            List<Event> events = seen.get(1);
            assertThat(events).extracting(Event::getType)
                    .containsExactly(Event.EventType.PUT, Event.EventType.PUT, Event.EventType.DELETE);
            assertThat(events.get(2).getKv().getModRevision()).isEqualTo(3);
            assertThat(events.get(2).getPrevKv().getValue().toStringUtf8()).isEqualTo("2");
            assertThat(events.get(0).getPrevKv().getValue().toStringUtf8()).isEqualTo("1");
        }
    }

    @Test
    void historyEventsMatchWhatListenersSaw() {
        try (Backend backend = openBackend(); MvccStore store = direct(backend)) {
            List<Event> seen = new ArrayList<>();
            store.addChangeListener((rev, events) -> seen.addAll(events));
            put(store, "a", "1");
            try (TxnWrite txn = store.write()) {
                txn.put(b("b"), b("2"), 5);
                txn.deleteRange(b("a"), null);
                txn.end();
            }
            put(store, "a", "3");
            List<Event> withoutPrev = seen.stream().map(e -> e.toBuilder().clearPrevKv().build()).toList();
            assertThat(store.events(2, 4, 100)).isEqualTo(withoutPrev);
            assertThat(store.events(3, 3, 100)).isEqualTo(withoutPrev.subList(1, 3));
            assertThat(store.events(2, 4, 2)).hasSize(2);
            store.compact(3).join();
            assertThatThrownBy(() -> store.events(2, 4, 100)).isInstanceOf(CompactedException.class);
        }
    }

    @Test
    void compactionRulesAndPhysicalRemoval() {
        try (Backend backend = openBackend(); MvccStore store = direct(backend)) {
            for (int i = 0; i < 5; i++) {
                put(store, "k", "v" + i); // revisions 2..6
            }
            assertThatThrownBy(() -> store.compact(7)).isInstanceOf(FutureRevisionException.class);
            store.compact(4).join();
            assertThatThrownBy(() -> store.compact(4)).isInstanceOf(CompactedException.class)
                    .hasMessageStartingWith("mvcc: required revision has been compacted");
            try (TxnRead txn = store.read()) {
                assertThatThrownBy(() -> txn.range(b("k"), null, RangeOptions.DEFAULT.withRevision(3)))
                        .isInstanceOf(CompactedException.class);
                assertThat(txn.range(b("k"), null, RangeOptions.DEFAULT.withRevision(4)).kvs().get(0)
                        .getValue().toStringUtf8()).as("reading at the compact revision is allowed").isEqualTo("v2");
                assertThatThrownBy(() -> txn.range(b("k"), null, RangeOptions.DEFAULT.withRevision(7)))
                        .isInstanceOf(FutureRevisionException.class);
            }
            assertThat(keyBucketMains(backend)).containsExactly(4L, 5L, 6L);
            assertThat(metaLong(backend, MetaKeys.FINISHED_COMPACT_REV)).isEqualTo(4);
        }
    }

    @Test
    void anInterruptedCompactionResumesAtOpenAndEndsLikeAnUninterruptedOne() {
        MvccModel model = new MvccModel();
        ArrayDeque<Runnable> manual = new ArrayDeque<>();
        Backend backend = openBackend();
        MvccStore store = MvccStore.open(backend, new MvccConfig(3, manual::add));
        for (int i = 0; i < 20; i++) {
            String k = "k" + (i % 4);
            try (TxnWrite txn = store.write()) {
                if (i % 7 == 6) {
                    txn.deleteRange(b(k), null);
                    model.deleteRange(k, null);
                } else {
                    txn.put(b(k), b("v" + i), 0);
                    model.put(k, "v" + i, 0);
                }
                txn.end();
                model.end();
            }
        }
        CompletableFuture<Void> done = store.compact(15);
        model.compactRev = 15;
        manual.poll().run(); // index compaction
        manual.poll().run(); // first batch of three revisions
        assertThat(done).isNotDone();
        int before = keyBucketMains(backend).size();
        store.close();
        backend.close();

        try (Backend reopened = openBackend()) {
            assertThat(metaLong(reopened, MetaKeys.SCHEDULED_COMPACT_REV)).isEqualTo(15);
            assertThat(metaLong(reopened, MetaKeys.FINISHED_COMPACT_REV)).as("interrupted").isEqualTo(-1);
            try (MvccStore resumed = direct(reopened)) {
                assertThat(metaLong(reopened, MetaKeys.FINISHED_COMPACT_REV)).isEqualTo(15);
                assertThat(resumed.compactRevision()).isEqualTo(15);
                assertThat(resumed.currentRevision()).isEqualTo(model.currentRev);
                assertThat(keyBucketMains(reopened).size()).isLessThan(before);
                assertThat(resumed.hashByRevision(0).hash()).isEqualTo(model.hash(model.currentRev));
                assertThat(resumed.hashByRevision(0).compactRevision()).isEqualTo(15);
            }
        }
    }

    @Test
    void restartKeepsRevisionKeysHistoryAndHash() {
        KeyValueHash hash;
        List<KeyValue> atFive;
        try (Backend backend = openBackend(); MvccStore store = direct(backend)) {
            for (int i = 0; i < 30; i++) {
                put(store, "key" + (i % 5), "value" + i);
            }
            store.compact(10).join();
            try (TxnWrite txn = store.write()) {
                txn.deleteRange(b("key1"), b("key3"));
                txn.setConsistentIndex(99, 4);
                txn.end();
            }
            hash = store.hashByRevision(0);
            try (TxnRead txn = store.read()) {
                atFive = txn.range(b("key"), b("kez"), RangeOptions.DEFAULT.withRevision(20)).kvs();
            }
        }
        try (Backend backend = openBackend(); MvccStore store = direct(backend)) {
            assertThat(store.currentRevision()).isEqualTo(32);
            assertThat(store.consistentIndex()).isEqualTo(99);
            assertThat(store.hashByRevision(0)).isEqualTo(hash);
            try (TxnRead txn = store.read()) {
                assertThat(txn.range(b("key"), b("kez"), RangeOptions.DEFAULT.withRevision(20)).kvs()).isEqualTo(atFive);
                assertThat(txn.range(b("key"), b("kez"), RangeOptions.DEFAULT).count()).isEqualTo(3);
            }
            assertThat(put(store, "key1", "back")).isEqualTo(33);
        }
    }

    static List<Long> keyBucketMains(Backend backend) {
        List<Long> out = new ArrayList<>();
        try (ReadTxn txn = backend.beginRead()) {
            txn.forEach(Bucket.KEY, new byte[0], null, (k, v) -> out.add(Revision.fromBytes(k).main()) || true);
        }
        return out;
    }

    static long metaLong(Backend backend, byte[] key) {
        try (ReadTxn txn = backend.beginRead()) {
            byte[] v = txn.get(Bucket.META, key);
            return v == null ? -1 : MetaKeys.decodeLong(v);
        }
    }
}
