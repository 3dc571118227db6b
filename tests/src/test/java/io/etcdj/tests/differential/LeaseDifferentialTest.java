package io.etcdj.tests.differential;

import static org.assertj.core.api.Assertions.assertThat;

import io.etcdj.tests.framework.ReferenceEtcd;
import io.etcdj.tests.framework.SpawnedEtcd;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * etcdj against the reference etcd 3.4.23 on a seeded random sequence of lease operations
 * (Grant with odd TTLs and duplicate client ids, Put with a lease or ignore_lease, TimeToLive with
 * keys, Leases, one keep-alive, Revoke of known and unknown ids, Range over every key): every
 * answer equal once server-chosen lease ids are mapped to handles, remaining TTLs within 1 s.
 * etcdj checkpoints every second here, so keep-alives take the clearing path through raft. No
 * restarts: across a restart etcdj deliberately keeps the checkpointed remaining TTL where
 * etcd resets it (docs/lease.md). Replay a reported seed with {@code -Ddiff.seed=N}.
 */
@Tag("e2e")
class LeaseDifferentialTest {

    @TempDir
    Path workDir;

    static int ops() {
        return Math.min(20_000, Integer.getInteger("diff.leaseOps", 300));
    }

    @Test
    void etcdjAnswersEveryLeaseOperationLikeTheReference() {
        List<String> differences = new ArrayList<>();
        for (long seed : DifferentialSettings.seeds()) {
            Path dir = workDir.resolve("seed-" + seed);
            LeaseDifferentialRun.Result result;
            try (ReferenceEtcd reference = ReferenceEtcd.start(dir.resolve("reference"), 10_000);
                    // Checkpoints every second: keep-alives then clear them through raft, and the
                    // answers must still be etcd's.
                    SpawnedEtcd etcdj = SpawnedEtcd.start(dir.resolve("etcdj"), "--experimental-lease-checkpoint-interval=1s");
                    LeaseTarget a = new GrpcLeaseTarget("reference", reference.endpoint());
                    LeaseTarget b = new GrpcLeaseTarget("etcdj", etcdj.endpoint())) {
                result = new LeaseDifferentialRun(seed, ops(), new LeaseOutcomeComparator()).run(a, b);
            }
            System.out.printf("lease reference-vs-etcdj seed %d: %d ops compared; %s%n", seed, result.compared(),
                    result.counts());
            result.difference().ifPresent(differences::add);
        }
        assertThat(differences).as("%d seeds differ", differences.size()).isEmpty();
    }
}
