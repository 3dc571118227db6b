package io.etcdj.server.apply;

import static io.etcdj.server.apply.Kv.b;
import static io.etcdj.server.apply.Kv.put;
import static io.etcdj.server.apply.Kv.range;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import io.etcdj.api.etcdserverpb.RangeRequest;
import io.etcdj.api.etcdserverpb.RangeResponse;
import io.etcdj.api.mvccpb.KeyValue;
import io.etcdj.api.rpctypes.EtcdError;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Range options as etcd answers them: limit/more/count, sort, filters, revisions, errors. */
class KvApplierRangeTest {
    @TempDir
    Path dir;
    SingleMemberKv kv;

    @BeforeEach
    void open() {
        kv = new SingleMemberKv(dir, LeaseLookup.NONE);
        kv.putNow(put("a", "3"));   // rev 2
        kv.putNow(put("b", "1"));   // rev 3
        kv.putNow(put("c", "2"));   // rev 4
        kv.putNow(put("a", "9"));   // rev 5: a version 2
    }

    @AfterEach
    void close() {
        kv.close();
    }

    private RangeResponse ask(RangeRequest r) {
        return kv.read(txn -> kv.applier().range(txn, r));
    }

    private static RangeRequest.Builder all() {
        return range("a", "z").toBuilder();
    }

    @Test
    void limitAnswersMoreAndCountIgnoresIt() {
        RangeResponse r = ask(all().setLimit(2).build());
        assertThat(r.getKvsList()).extracting(KeyValue::getKey).containsExactly(b("a"), b("b"));
        assertThat(r.getMore()).isTrue();
        assertThat(r.getCount()).isEqualTo(3);
        RangeResponse exact = ask(all().setLimit(3).build());
        assertThat(exact.getMore()).isFalse();
        RangeResponse negative = ask(all().setLimit(-1).build());
        assertThat(negative.getKvsCount()).as("a negative limit is no limit").isEqualTo(3);
        assertThat(negative.getMore()).isFalse();
    }

    @Test
    void sortTargetsAndTheNoneWithTargetRule() {
        RangeResponse byValue = ask(all().setSortTarget(RangeRequest.SortTarget.VALUE).build());
        assertThat(byValue.getKvsList()).as("NONE order with a non-KEY target sorts ascending")
                .extracting(KeyValue::getKey).containsExactly(b("b"), b("c"), b("a"));
        RangeResponse byModDesc = ask(all().setSortOrder(RangeRequest.SortOrder.DESCEND)
                .setSortTarget(RangeRequest.SortTarget.MOD).setLimit(1).build());
        assertThat(byModDesc.getKvsList()).extracting(KeyValue::getKey).containsExactly(b("a"));
        assertThat(byModDesc.getMore()).isTrue();
        assertThat(byModDesc.getCount()).isEqualTo(3);
        RangeResponse byKeyDesc = ask(all().setSortOrder(RangeRequest.SortOrder.DESCEND).build());
        assertThat(byKeyDesc.getKvsList()).extracting(KeyValue::getKey).containsExactly(b("c"), b("b"), b("a"));
    }

    @Test
    void filtersCutKvsButNotCount() {
        RangeResponse r = ask(all().setMinModRevision(4).build());
        assertThat(r.getKvsList()).extracting(KeyValue::getKey).containsExactly(b("a"), b("c"));
        assertThat(r.getCount()).isEqualTo(3);
        RangeResponse created = ask(all().setMaxCreateRevision(2).setLimit(5).build());
        assertThat(created.getKvsList()).extracting(KeyValue::getKey).containsExactly(b("a"));
        assertThat(created.getMore()).isFalse();
    }

    @Test
    void keysOnlyCountOnlyAndPastRevisions() {
        RangeResponse keys = ask(all().setKeysOnly(true).build());
        assertThat(keys.getKvsList()).allSatisfy(kv -> assertThat(kv.getValue().isEmpty()).isTrue());
        RangeResponse count = ask(all().setCountOnly(true).setLimit(1).build());
        assertThat(count.getKvsCount()).isZero();
        assertThat(count.getCount()).isEqualTo(3);
        assertThat(count.getMore()).as("count_only never answers more").isFalse();
        RangeResponse past = ask(all().setRevision(3).build());
        assertThat(past.getKvsList()).extracting(KeyValue::getKey).containsExactly(b("a"), b("b"));
        assertThat(past.getHeader().getRevision()).as("header: the current revision, not the one read").isEqualTo(5);
    }

    @Test
    void futureAndCompactedRevisionsAreEtcdErrors() {
        Throwable future = catchThrowable(() -> ask(all().setRevision(6).build()));
        assertThat(EtcdError.fromThrowable(future)).contains(EtcdError.FUTURE_REV);
        kv.store().compact(4).join();
        Throwable compacted = catchThrowable(() -> ask(all().setRevision(3).build()));
        assertThat(EtcdError.fromThrowable(compacted)).contains(EtcdError.COMPACTED);
        assertThat(ask(all().setRevision(4).build()).getCount()).as("the compaction revision itself is readable")
                .isEqualTo(3);
    }
}
