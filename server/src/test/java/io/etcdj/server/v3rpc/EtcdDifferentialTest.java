package io.etcdj.server.v3rpc;

import static org.assertj.core.api.Assertions.assertThat;

import io.etcdj.api.etcdserverpb.KVGrpc;
import io.etcdj.api.etcdserverpb.LeaseGrantRequest;
import io.etcdj.api.etcdserverpb.LeaseGrpc;
import io.etcdj.server.apply.LeaseLookup;
import io.etcdj.server.apply.SingleMemberKv;
import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import io.grpc.Server;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The same request sequence ({@link KvScenario}) against the real etcd 3.4 and against our
 * KvService → SingleMemberKv → KvApplier → MvccStore, over gRPC, comparing every answer: the
 * whole response (except the top header's cluster_id, member_id, raft_term) or the error's code
 * and message. The negative control replays the sequence on a server with a planted bug (it knows
 * no lease) and must see the comparison fail where the bug first shows.
 */
@Tag("e2e")
class EtcdDifferentialTest {
    @TempDir
    Path dir;

    @Test
    void ourKvAnswersEveryScenarioStepLikeEtcd() throws Exception {
        assertThat(Files.isExecutable(RealEtcd.BINARY)).as("apt-get install -y etcd-server").isTrue();
        List<KvScenario.Step> steps = KvScenario.all();
        List<Outcome> expected = new ArrayList<>();
        try (RealEtcd etcd = RealEtcd.start()) {
            LeaseGrpc.newBlockingStub(etcd.channel).withDeadlineAfter(10, TimeUnit.SECONDS)
                    .leaseGrant(LeaseGrantRequest.newBuilder().setID(KvScenario.LEASE).setTTL(3600).build());
            for (KvScenario.Step step : steps) {
                expected.add(Outcome.of(() -> step.call().apply(stub(etcd.channel))));
            }
        }
        long errors = expected.stream().filter(Outcome::isError).count();
        assertThat(errors).as("the scenario exercises both errors and answers").isBetween(20L, steps.size() - 60L);

        List<String> mismatches = replay(steps, expected, dir.resolve("ours"), id -> id == KvScenario.LEASE);
        assertThat(mismatches).as("steps answered differently").isEmpty();

        List<String> planted = replay(steps, expected, dir.resolve("mutant"), LeaseLookup.NONE);
        assertThat(planted).as("negative control: a server that knows no lease").isNotEmpty();
        assertThat(planted.get(0)).startsWith("put l with lease");
    }

    /**
     * Seeded random request sequences ({@link RandomKvRequests}): each request is drawn with the
     * real etcd's current revision, sent to it, and the recorded sequence is then replayed on ours.
     * A failure names the seed and the step.
     */
    @Test
    void randomSequencesAnswerLikeEtcd() throws Exception {
        for (long seed : new long[] {1, 2}) {
            List<KvScenario.Step> steps = new ArrayList<>();
            List<Outcome> expected = new ArrayList<>();
            try (RealEtcd etcd = RealEtcd.start()) {
                LeaseGrpc.newBlockingStub(etcd.channel).withDeadlineAfter(10, TimeUnit.SECONDS)
                        .leaseGrant(LeaseGrantRequest.newBuilder().setID(KvScenario.LEASE).setTTL(3600).build());
                RandomKvRequests requests = new RandomKvRequests(seed);
                long revision = 1;
                for (int i = 0; i < RANDOM_STEPS; i++) {
                    KvScenario.Step step = new KvScenario.Step("seed " + seed + " step " + i, requests.next(revision));
                    Outcome outcome = Outcome.of(() -> step.call().apply(stub(etcd.channel)));
                    if (outcome.isError() && outcome.error().startsWith("UNAVAILABLE")) {
                        throw new AssertionError("etcd died at " + step.name() + ": " + requests.last);
                    }
                    steps.add(step);
                    expected.add(outcome);
                    revision = outcome.isError() ? revision : headerRevision(outcome, revision);
                }
            }
            assertThat(expected.stream().filter(Outcome::isError).count()).as("seed %d: some answers; errors %s", seed,
                    expected.stream().filter(Outcome::isError).collect(java.util.stream.Collectors.groupingBy(
                            Outcome::error, java.util.TreeMap::new, java.util.stream.Collectors.counting())))
                    .isLessThan(RANDOM_STEPS / 2);
            List<String> mismatches = replay(steps, expected, dir.resolve("random-" + seed),
                    id -> id == KvScenario.LEASE);
            assertThat(mismatches).as("seed %d", seed).isEmpty();
        }
    }

    private static final int RANDOM_STEPS = 400;

    private static long headerRevision(Outcome outcome, long fallback) {
        com.google.protobuf.Descriptors.FieldDescriptor header =
                outcome.response().getDescriptorForType().findFieldByName("header");
        io.etcdj.api.etcdserverpb.ResponseHeader h = (io.etcdj.api.etcdserverpb.ResponseHeader)
                outcome.response().getField(header);
        return h.getRevision() > 0 ? h.getRevision() : fallback;
    }

    /** The scenario on a fresh SingleMemberKv behind a KvService; returns the steps that differ. */
    private static List<String> replay(List<KvScenario.Step> steps, List<Outcome> expected, Path dir,
            LeaseLookup leases) throws Exception {
        List<String> mismatches = new ArrayList<>();
        try (SingleMemberKv kv = new SingleMemberKv(dir, leases)) {
            Server server = NettyServerBuilder.forAddress(new InetSocketAddress("127.0.0.1", 0))
                    .addService(new KvService(kv, KvLimits.DEFAULTS)).build().start();
            ManagedChannel ours = ManagedChannelBuilder.forAddress("127.0.0.1", server.getPort()).usePlaintext().build();
            try {
                for (int i = 0; i < steps.size(); i++) {
                    KvScenario.Step step = steps.get(i);
                    Outcome actual = Outcome.of(() -> step.call().apply(stub(ours)));
                    if (!expected.get(i).equals(actual)) {
                        mismatches.add(step.name() + "\n  etcd: " + expected.get(i) + "\n  ours: " + actual);
                    }
                }
            } finally {
                ours.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
                server.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
            }
        }
        return mismatches;
    }

    private static KVGrpc.KVBlockingStub stub(ManagedChannel channel) {
        return KVGrpc.newBlockingStub(channel).withDeadlineAfter(15, TimeUnit.SECONDS);
    }
}
