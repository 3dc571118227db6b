package io.etcdj.tests.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.etcd.jetcd.ByteSequence;
import io.etcd.jetcd.Client;
import io.etcd.jetcd.KV;
import io.etcd.jetcd.KeyValue;
import io.etcd.jetcd.kv.GetResponse;
import io.etcd.jetcd.kv.TxnResponse;
import io.etcd.jetcd.op.Cmp;
import io.etcd.jetcd.op.CmpTarget;
import io.etcd.jetcd.op.Op;
import io.etcd.jetcd.options.CompactOption;
import io.etcd.jetcd.options.DeleteOption;
import io.etcd.jetcd.options.GetOption;
import io.etcd.jetcd.options.PutOption;
import io.etcdj.tests.framework.SpawnedEtcd;
import io.grpc.Status;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * jetcd, the Java etcd client, driving put/get/delete/txn/compact against a spawned
 * {@code bin/etcd}. The same tests run against the real etcd in {@link KvJetcdReferenceE2eTest},
 * which is where every expectation here was checked first. Each test writes under its own prefix.
 */
@Tag("e2e")
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class KvJetcdE2eTest {

    private static final long TIMEOUT_SECONDS = 30;

    private AutoCloseable server;
    private Client client;
    private KV kv;
    String clientUrl;

    /** Starts the server under test and sets {@link #clientUrl}; the reference run overrides it. */
    AutoCloseable startServer(Path dir) {
        SpawnedEtcd etcd = SpawnedEtcd.start(dir);
        clientUrl = etcd.clientUrl();
        return etcd;
    }

    @BeforeAll
    void start(@TempDir Path dir) {
        server = startServer(dir);
        client = Client.builder().endpoints(clientUrl).build();
        kv = client.getKVClient();
    }

    @AfterAll
    void stop() throws Exception {
        if (client != null) {
            client.close();
        }
        if (server != null) {
            server.close();
        }
    }

    @Test
    void putThenGetReturnsTheValueWithItsRevisions() {
        long revision = await(kv.put(bytes("j1/k"), bytes("v"))).getHeader().getRevision();

        GetResponse get = await(kv.get(bytes("j1/k")));

        assertThat(get.getCount()).isEqualTo(1);
        KeyValue kv1 = get.getKvs().getFirst();
        assertThat(string(kv1.getValue())).isEqualTo("v");
        assertThat(kv1.getCreateRevision()).isEqualTo(revision);
        assertThat(kv1.getModRevision()).isEqualTo(revision);
        assertThat(kv1.getVersion()).isEqualTo(1);
        assertThat(get.getHeader().getRevision()).isEqualTo(revision);
    }

    @Test
    void putWithPrevKvReturnsTheOverwrittenValue() {
        await(kv.put(bytes("j2/k"), bytes("a")));

        var put = await(kv.put(bytes("j2/k"), bytes("b"), PutOption.builder().withPrevKV().build()));

        assertThat(put.hasPrevKv()).isTrue();
        assertThat(string(put.getPrevKv().getValue())).isEqualTo("a");
        assertThat(await(kv.get(bytes("j2/k"))).getKvs().getFirst().getVersion()).isEqualTo(2);
    }

    @Test
    void getPrefixSortedLimitedKeysOnlyAndCountOnly() {
        for (String suffix : List.of("a", "b", "c")) {
            await(kv.put(bytes("j3/" + suffix), bytes("v-" + suffix)));
        }

        GetResponse descending = await(kv.get(bytes("j3/"), GetOption.builder().isPrefix(true)
                .withSortField(GetOption.SortTarget.VALUE).withSortOrder(GetOption.SortOrder.DESCEND).withLimit(2).build()));
        assertThat(descending.getKvs()).extracting(k -> string(k.getKey())).containsExactly("j3/c", "j3/b");
        assertThat(descending.isMore()).isTrue();
        assertThat(descending.getCount()).isEqualTo(3);

        GetResponse keysOnly = await(kv.get(bytes("j3/"), GetOption.builder().isPrefix(true).withKeysOnly(true).build()));
        assertThat(keysOnly.getKvs()).extracting(k -> string(k.getValue())).containsExactly("", "", "");

        GetResponse countOnly = await(kv.get(bytes("j3/"), GetOption.builder().isPrefix(true).withCountOnly(true).build()));
        assertThat(countOnly.getKvs()).isEmpty();
        assertThat(countOnly.getCount()).isEqualTo(3);
    }

    @Test
    void getAtAPastRevisionSeesTheOldValue() {
        long first = await(kv.put(bytes("j4/k"), bytes("old"))).getHeader().getRevision();
        await(kv.put(bytes("j4/k"), bytes("new")));

        GetResponse past = await(kv.get(bytes("j4/k"), GetOption.builder().withRevision(first).build()));

        assertThat(string(past.getKvs().getFirst().getValue())).isEqualTo("old");
    }

    @Test
    void deletePrefixWithPrevKvs() {
        await(kv.put(bytes("j5/a"), bytes("1")));
        await(kv.put(bytes("j5/b"), bytes("2")));

        var deleted = await(kv.delete(bytes("j5/"), DeleteOption.builder().isPrefix(true).withPrevKV(true).build()));

        assertThat(deleted.getDeleted()).isEqualTo(2);
        assertThat(deleted.getPrevKvs()).extracting(k -> string(k.getValue())).containsExactly("1", "2");
        assertThat(await(kv.get(bytes("j5/"), GetOption.builder().isPrefix(true).build())).getCount()).isZero();
    }

    @Test
    void txnTakesTheBranchItsComparesChoose() {
        await(kv.put(bytes("j6/k"), bytes("1")));

        TxnResponse success = await(kv.txn()
                .If(new Cmp(bytes("j6/k"), Cmp.Op.EQUAL, CmpTarget.value(bytes("1"))),
                        new Cmp(bytes("j6/k"), Cmp.Op.GREATER, CmpTarget.modRevision(0)))
                .Then(Op.put(bytes("j6/k"), bytes("2"), PutOption.DEFAULT), Op.get(bytes("j6/k"), GetOption.DEFAULT))
                .Else(Op.put(bytes("j6/k"), bytes("9"), PutOption.DEFAULT))
                .commit());
        assertThat(success.isSucceeded()).isTrue();
        assertThat(string(success.getGetResponses().getFirst().getKvs().getFirst().getValue())).isEqualTo("2");

        TxnResponse failure = await(kv.txn()
                .If(new Cmp(bytes("j6/k"), Cmp.Op.LESS, CmpTarget.version(2)))
                .Then(Op.put(bytes("j6/k"), bytes("3"), PutOption.DEFAULT))
                .Else(Op.delete(bytes("j6/k"), DeleteOption.DEFAULT))
                .commit());
        assertThat(failure.isSucceeded()).isFalse();
        assertThat(failure.getDeleteResponses().getFirst().getDeleted()).isEqualTo(1);
        assertThat(failure.getHeader().getRevision()).isEqualTo(success.getHeader().getRevision() + 1);
    }

    @Test
    void compactRemovesOldRevisionsAndTheClientSeesEtcdsError() {
        long first = await(kv.put(bytes("j7/k"), bytes("a"))).getHeader().getRevision();
        long second = await(kv.put(bytes("j7/k"), bytes("b"))).getHeader().getRevision();

        await(kv.compact(second, CompactOption.builder().withCompactPhysical(true).build()));

        // jetcd hands etcd's gRPC status through: code and message are what applications match on.
        assertThatThrownBy(() -> await(kv.get(bytes("j7/k"), GetOption.builder().withRevision(first).build())))
                .satisfies(e -> assertCompacted(Status.fromThrowable(e)));
        assertThatThrownBy(() -> await(kv.compact(second)))
                .satisfies(e -> assertCompacted(Status.fromThrowable(e)));
        assertThat(string(await(kv.get(bytes("j7/k"))).getKvs().getFirst().getValue())).isEqualTo("b");
    }

    private static void assertCompacted(Status status) {
        assertThat(status.getCode()).isEqualTo(Status.Code.OUT_OF_RANGE);
        assertThat(status.getDescription()).isEqualTo("etcdserver: mvcc: required revision has been compacted");
    }

    private static ByteSequence bytes(String text) {
        return ByteSequence.from(text, StandardCharsets.UTF_8);
    }

    private static String string(ByteSequence bytes) {
        return bytes.toString(StandardCharsets.UTF_8);
    }

    private static <T> T await(CompletableFuture<T> future) {
        try {
            return future.get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", e);
        } catch (ExecutionException | TimeoutException e) {
            throw new AssertionError(e);
        }
    }
}
