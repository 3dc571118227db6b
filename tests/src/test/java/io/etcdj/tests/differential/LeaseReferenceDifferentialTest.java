package io.etcdj.tests.differential;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.Message;
import io.etcdj.api.etcdserverpb.LeaseTimeToLiveResponse;
import io.etcdj.tests.framework.ReferenceEtcd;
import java.nio.file.Path;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The lease harness checked on the reference: two real etcd 3.4.23 processes (which choose
 * different lease ids) must compare equal on the whole sequence, and the sequence must reach the
 * interesting answers; one TimeToLive answer moved by 2 s (beyond the 1 s tolerance) must be
 * reported with its seed.
 */
@Tag("e2e")
class LeaseReferenceDifferentialTest {

    @TempDir
    Path workDir;

    @Test
    void twoReferenceEtcdsAnswerEveryLeaseOperationIdentically() {
        OutcomeCounts total = null;
        int notFound = 0;
        int exists = 0;
        int tooLarge = 0;
        int ok = 0;
        for (long seed : DifferentialSettings.seeds()) {
            LeaseDifferentialRun.Result result = run(seed, null);
            System.out.printf("lease reference-vs-reference seed %d: %d ops equal; %s%n", seed, result.compared(),
                    result.counts());
            assertThat(result.difference()).as("seed %d", seed).isEmpty();
            total = result.counts();
            notFound += total.count("LeaseRevoke etcdserver: requested lease not found");
            exists += total.count("LeaseGrant etcdserver: lease already exists");
            tooLarge += total.count("LeaseGrant etcdserver: too large lease TTL");
            ok += total.count("LeaseKeepAlive ok") + total.count("LeaseTimeToLive ok");
        }
        assertThat(notFound).as("revokes of unknown leases").isPositive();
        assertThat(exists).as("duplicate client-chosen ids").isPositive();
        assertThat(tooLarge).as("TTLs above the maximum").isPositive();
        assertThat(ok).as("keep-alives and TimeToLives").isPositive();
    }

    @Test
    void aTimeToLiveOffByTwoSecondsIsReported() {
        long seed = DifferentialSettings.seeds().getFirst();
        LeaseDifferentialRun.Result result = run(seed, target -> new PerturbingLeaseTarget(target, 3,
                LeaseReferenceDifferentialTest::addTwoSeconds));
        assertThat(result.difference()).isPresent();
        assertThat(result.difference().get()).contains("seed " + seed).contains("TTL: ").contains("more than 1 s apart")
                .contains("-Ddiff.seed=" + seed);
    }

    private LeaseDifferentialRun.Result run(long seed, UnaryOperator<LeaseTarget> perturbation) {
        Path dir = workDir.resolve("seed-" + seed + (perturbation == null ? "" : "-perturbed"));
        try (ReferenceEtcd first = ReferenceEtcd.start(dir.resolve("a"), 10_000);
                ReferenceEtcd second = ReferenceEtcd.start(dir.resolve("b"), 10_000);
                LeaseTarget a = new GrpcLeaseTarget("reference-a", first.endpoint());
                LeaseTarget plainB = new GrpcLeaseTarget("reference-b", second.endpoint());
                LeaseTarget b = perturbation == null ? plainB : perturbation.apply(plainB)) {
            return new LeaseDifferentialRun(seed, LeaseDifferentialTest.ops(), new LeaseOutcomeComparator()).run(a, b);
        }
    }

    private static Message addTwoSeconds(Message response) {
        LeaseTimeToLiveResponse ttl = (LeaseTimeToLiveResponse) response;
        return ttl.toBuilder().setTTL(ttl.getTTL() + 2).build();
    }

    /** Passes the {@code n}-th TimeToLive answer of a live lease through a perturbation. */
    static final class PerturbingLeaseTarget implements LeaseTarget {
        private final LeaseTarget delegate;
        private final int perturbed;
        private final UnaryOperator<Message> perturbation;
        private int seen;

        PerturbingLeaseTarget(LeaseTarget delegate, int perturbed, UnaryOperator<Message> perturbation) {
            this.delegate = delegate;
            this.perturbed = perturbed;
            this.perturbation = perturbation;
        }

        @Override
        public String name() {
            return "perturbed-" + delegate.name();
        }

        @Override
        public Outcome call(Message request) {
            Outcome outcome = delegate.call(request);
            if (!outcome.isError() && outcome.response() instanceof LeaseTimeToLiveResponse r && r.getTTL() >= 0
                    && seen++ == perturbed) {
                return Outcome.ok(perturbation.apply(outcome.response()));
            }
            return outcome;
        }

        @Override
        public void close() {
            delegate.close();
        }
    }
}
