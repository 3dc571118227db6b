package io.etcdj.server.etcdserver;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import io.etcdj.api.etcdserverpb.PutRequest;
import io.etcdj.api.etcdserverpb.RequestOp;
import io.etcdj.api.etcdserverpb.TxnRequest;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class QuotaTest {

    private final AtomicLong size = new AtomicLong(1_000);
    private final AtomicInteger reads = new AtomicInteger();
    private final Quota quota = new Quota(10_000, () -> {
        reads.incrementAndGet();
        return size.get();
    });

    @Test
    void admissionsReadTheBackendSizeOnlyEverySoOften() {
        reads.set(0);
        for (int i = 0; i < 10 * Quota.ADMISSIONS_PER_SIZE_READ; i++) {
            assertThat(quota.admits(100)).isTrue();
        }
        assertThat(reads.get()).isEqualTo(10);
    }

    @Test
    void aRefusalIsAlwaysDecidedOnAFreshSize() {
        assertThat(quota.admits(100)).isTrue();
        size.set(9_950); // grew since the cached read
        reads.set(0);

        assertThat(quota.admits(100)).as("stale cache says it fits, fresh size says no").isTrue();
        assertThat(quota.admits(20_000)).isFalse();
        assertThat(reads.get()).as("the refusal re-read the size").isEqualTo(1);
        assertThat(quota.admits(100)).as("now decided on the fresh size").isFalse();

        size.set(500); // compaction + defragmentation freed space
        assertThat(quota.admits(100)).as("freed space counts at once").isTrue();
    }

    @Test
    void readsAndDeletesCostNothingAndTxnsCostTheirCostlierBranch() {
        PutRequest put = PutRequest.newBuilder().setKey(ByteString.copyFromUtf8("k")).setValue(ByteString.copyFromUtf8("vv")).build();
        TxnRequest txn = TxnRequest.newBuilder()
                .addSuccess(RequestOp.newBuilder().setRequestPut(put))
                .addSuccess(RequestOp.newBuilder().setRequestPut(put))
                .addFailure(RequestOp.newBuilder().setRequestPut(put)).build();

        assertThat(Quota.cost(put)).isEqualTo(Quota.PUT_OVERHEAD_BYTES + 3);
        assertThat(Quota.cost(txn)).isEqualTo(2 * (Quota.PUT_OVERHEAD_BYTES + 3));
        size.set(Long.MAX_VALUE / 2);
        assertThat(quota.admits(0)).isTrue();
    }
}
