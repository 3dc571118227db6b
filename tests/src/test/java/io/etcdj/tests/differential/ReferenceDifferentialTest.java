package io.etcdj.tests.differential;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.Descriptors.FieldDescriptor;
import com.google.protobuf.Message;
import io.etcdj.tests.framework.ReferenceEtcd;
import java.nio.file.Path;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The harness checked on the reference itself: two independent real etcd processes fed the same
 * seeded sequence must answer identically (else the comparator flags legitimate differences, and
 * its reports against etcdj would be noise), and a one-answer perturbation of one of them must be
 * reported (else it cannot see bugs).
 */
@Tag("e2e")
class ReferenceDifferentialTest {

    @TempDir
    Path workDir;

    @Test
    void twoReferenceEtcdsAnswerEveryRequestIdentically() {
        int totalCompactedErrors = 0;
        int totalTxns = 0;
        for (long seed : DifferentialSettings.seeds()) {
            DifferentialRun.Result result = runAgainstTwoReferences(seed, null);
            System.out.printf("reference-vs-reference seed %d: %d exchanges equal; %s%n", seed, result.compared(),
                    result.counts());
            assertThat(result.difference()).as("seed %d", seed).isEmpty();
            totalCompactedErrors += result.counts().count("Range etcdserver: mvcc: required revision has been compacted");
            totalTxns += result.counts().count("Txn ok");
            assertThat(result.counts().count("kill -9 + restart")).as("restarts of seed %d", seed)
                    .isEqualTo(DifferentialSettings.restarts());
        }
        // The generator must reach the interesting answers, or equality proves little.
        assertThat(totalCompactedErrors).as("Ranges below the compaction point").isPositive();
        assertThat(totalTxns).as("successful Txns").isPositive();
    }

    @Test
    void aSinglePerturbedAnswerIsReportedWithItsSeed() {
        long seed = DifferentialSettings.seeds().getFirst();
        // Call 40: past the first writes, so the perturbed answer is an ordinary one.
        PerturbingTargetFactory perturbAt40 = target -> new PerturbingTarget(target, 40,
                ReferenceDifferentialTest::bumpHeaderRevision);

        DifferentialRun.Result result = runAgainstTwoReferences(seed, perturbAt40);

        assertThat(result.difference()).isPresent();
        assertThat(result.difference().get())
                .contains("seed " + seed)
                .contains("differ at request #40")
                .contains("-Ddiff.seed=" + seed);
    }

    private DifferentialRun.Result runAgainstTwoReferences(long seed, PerturbingTargetFactory perturbation) {
        Path dir = workDir.resolve("seed-" + seed + (perturbation == null ? "" : "-perturbed"));
        try (ReferenceEtcd first = ReferenceEtcd.start(dir.resolve("a"), DifferentialSettings.SNAPSHOT_COUNT);
                ReferenceEtcd second = ReferenceEtcd.start(dir.resolve("b"), DifferentialSettings.SNAPSHOT_COUNT);
                KvTarget a = GrpcKvTarget.forEndpoint("reference-a", first.endpoint(), first::killAndRestart);
                KvTarget plainB = GrpcKvTarget.forEndpoint("reference-b", second.endpoint(), second::killAndRestart);
                KvTarget b = perturbation == null ? plainB : perturbation.wrap(plainB)) {
            return new DifferentialRun(seed, DifferentialSettings.requests(), DifferentialSettings.restarts(),
                    new OutcomeComparator()).run(a, b);
        }
    }

    /** The revision every response reports, off by one; errors get a different message. */
    static Outcome bumpHeaderRevision(Outcome outcome) {
        if (outcome.isError()) {
            return Outcome.error(outcome.code(), outcome.errorMessage() + " (perturbed)");
        }
        Message response = outcome.response();
        FieldDescriptor headerField = response.getDescriptorForType().findFieldByName("header");
        Message header = (Message) response.getField(headerField);
        FieldDescriptor revision = header.getDescriptorForType().findFieldByName("revision");
        Message bumped = header.toBuilder().setField(revision, (Long) header.getField(revision) + 1).build();
        return Outcome.ok(response.toBuilder().setField(headerField, bumped).build());
    }

    @FunctionalInterface
    interface PerturbingTargetFactory {
        KvTarget wrap(KvTarget target);
    }
}
