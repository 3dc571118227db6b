package io.etcdj.server.concurrency;

import static io.etcdj.server.concurrency.RecipeMember.get;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.ByteString;
import io.etcdj.api.mvccpb.KeyValue;
import io.etcdj.api.v3electionpb.CampaignRequest;
import io.etcdj.api.v3electionpb.CampaignResponse;
import io.etcdj.api.v3electionpb.LeaderKey;
import io.etcdj.api.v3electionpb.LeaderRequest;
import io.etcdj.api.v3electionpb.LeaderResponse;
import io.etcdj.api.v3electionpb.ProclaimRequest;
import io.etcdj.api.v3electionpb.ProclaimResponse;
import io.etcdj.api.v3electionpb.ResignRequest;
import io.etcdj.api.v3electionpb.ResignResponse;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The election recipe and service on a whole member. */
class ElectionTest {
    @TempDir
    Path dir;

    private RecipeMember member;
    private Election election;
    private ElectionService service;

    @BeforeEach
    void start() throws Exception {
        member = new RecipeMember(dir);
        election = new Election(member.client);
        service = new ElectionService(member.client);
    }

    @AfterEach
    void stop() {
        service.close();
        member.close();
    }

    private static ByteString bytes(String s) {
        return ByteString.copyFromUtf8(s);
    }

    private static CampaignRequest campaign(String name, long lease, String value) {
        return CampaignRequest.newBuilder().setName(bytes(name)).setLease(lease).setValue(bytes(value)).build();
    }

    private static LeaderRequest named(String name) {
        return LeaderRequest.newBuilder().setName(bytes(name)).build();
    }

    /** A campaign on its own thread; interrupting it is what a client cancel does. */
    private static final class Candidate {
        final CompletableFuture<CampaignResponse> answer = new CompletableFuture<>();
        final Thread thread;

        Candidate(Election election, CampaignRequest request) {
            thread = Thread.ofVirtual().start(() -> {
                try {
                    answer.complete(election.campaign(request));
                } catch (Throwable e) {
                    answer.completeExceptionally(e);
                }
            });
        }
    }

    private static void assertUnknown(CompletableFuture<?> answer, String message) {
        assertThatThrownBy(() -> get(answer)).isInstanceOf(ExecutionException.class).cause()
                .isInstanceOfSatisfying(StatusRuntimeException.class, e -> {
                    assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.UNKNOWN);
                    assertThat(e.getStatus().getDescription()).isEqualTo(message);
                });
    }

    @Test
    void campaignLeaderProclaimResign() throws Exception {
        FutureObserver<LeaderResponse> empty = new FutureObserver<>();
        service.leader(named("e"), empty);
        assertUnknown(empty.answer, "election: no leader");

        long lease = member.grant(60);
        CampaignResponse won = election.campaign(campaign("e", lease, "v1"));
        LeaderKey leader = won.getLeader();
        assertThat(leader.getName().toStringUtf8()).isEqualTo("e");
        assertThat(leader.getKey().toStringUtf8()).isEqualTo("e/" + Long.toHexString(lease));
        assertThat(leader.getLease()).isEqualTo(lease);
        assertThat(leader.getRev()).isEqualTo(won.getHeader().getRevision());

        KeyValue kv = election.leader(named("e")).getKv();
        assertThat(kv.getValue().toStringUtf8()).isEqualTo("v1");
        assertThat(kv.getCreateRevision()).isEqualTo(leader.getRev());

        ProclaimResponse proclaimed = election.proclaim(ProclaimRequest.newBuilder().setLeader(leader)
                .setValue(bytes("v2")).build());
        assertThat(election.leader(named("e")).getKv().getModRevision()).isEqualTo(proclaimed.getHeader().getRevision());
        assertThat(election.leader(named("e")).getKv().getValue().toStringUtf8()).isEqualTo("v2");

        ResignResponse resigned = election.resign(ResignRequest.newBuilder().setLeader(leader).build());
        assertThat(resigned.getHeader().getRevision()).isEqualTo(proclaimed.getHeader().getRevision() + 1);
        assertThat(member.keys("e/")).isEmpty();
    }

    @Test
    void aStaleOrMissingLeaderKeyGetsEtcdsErrorsAndResignOfAStaleKeyIsHarmless() throws Exception {
        long lease = member.grant(60);
        LeaderKey leader = election.campaign(campaign("st", lease, "x")).getLeader();
        LeaderKey stale = leader.toBuilder().setRev(leader.getRev() - 1).build();

        FutureObserver<ProclaimResponse> proclaim = new FutureObserver<>();
        service.proclaim(ProclaimRequest.newBuilder().setLeader(stale).setValue(bytes("y")).build(), proclaim);
        assertUnknown(proclaim.answer, "election: not leader");
        FutureObserver<ProclaimResponse> noKey = new FutureObserver<>();
        service.proclaim(ProclaimRequest.newBuilder().setValue(bytes("y")).build(), noKey);
        assertUnknown(noKey.answer, "\"leader\" field must be provided");
        FutureObserver<ResignResponse> resignNoKey = new FutureObserver<>();
        service.resign(ResignRequest.getDefaultInstance(), resignNoKey);
        assertUnknown(resignNoKey.answer, "\"leader\" field must be provided");

        FutureObserver<ResignResponse> resignStale = new FutureObserver<>();
        service.resign(ResignRequest.newBuilder().setLeader(stale).build(), resignStale);
        assertThat(get(resignStale.answer).getHeader().getRevision()).isEqualTo(leader.getRev());
        assertThat(election.leader(named("st")).getKv().getValue().toStringUtf8()).isEqualTo("x");
    }

    @Test
    void candidatesLeadInTheOrderTheyCampaignedAndACancelledOneWithdraws() throws Exception {
        long a = member.grant(60);
        long b = member.grant(60);
        long c = member.grant(60);
        LeaderKey first = election.campaign(campaign("q", a, "a")).getLeader();
        Candidate cancelled = new Candidate(election, campaign("q", b, "b"));
        member.awaitKeyCount("q/", 2);
        Candidate third = new Candidate(election, campaign("q", c, "c"));
        member.awaitKeyCount("q/", 3);
        assertThat(election.leader(named("q")).getKv().getValue().toStringUtf8()).isEqualTo("a");

        cancelled.thread.interrupt();
        assertThatThrownBy(() -> get(cancelled.answer)).cause().isInstanceOf(InterruptedException.class);
        member.awaitKeyCount("q/", 2);
        assertThat(third.answer).isNotDone();

        long resigned = election.resign(ResignRequest.newBuilder().setLeader(first).build()).getHeader().getRevision();
        CampaignResponse won = get(third.answer);
        assertThat(won.getLeader().getKey().toStringUtf8()).isEqualTo("q/" + Long.toHexString(c));
        // etcd answers with the header of the txn that joined the line.
        assertThat(won.getHeader().getRevision()).isEqualTo(won.getLeader().getRev()).isLessThan(resigned);
        assertThat(election.leader(named("q")).getHeader().getRevision()).isGreaterThanOrEqualTo(resigned);
        assertThat(election.leader(named("q")).getKv().getValue().toStringUtf8()).isEqualTo("c");
    }

    @Test
    void campaigningAgainUnderTheSameLeaseKeepsThePlaceAndProclaimsTheNewValue() throws Exception {
        long lease = member.grant(60);
        LeaderKey first = election.campaign(campaign("re", lease, "one")).getLeader();
        LeaderKey again = election.campaign(campaign("re", lease, "two")).getLeader();
        assertThat(again).isEqualTo(first);
        assertThat(election.leader(named("re")).getKv().getValue().toStringUtf8()).isEqualTo("two");
    }

    @Test
    void aCandidateWhoseLeaseIsRevokedWhileWaitingGivesUp() throws Exception {
        long a = member.grant(60);
        long b = member.grant(60);
        election.campaign(campaign("lr", a, "a"));
        Candidate waiting = new Candidate(election, campaign("lr", b, "b"));
        member.awaitKeyCount("lr/", 2);
        member.revoke(b);
        assertThatThrownBy(() -> get(waiting.answer)).cause().isInstanceOfSatisfying(StatusRuntimeException.class,
                e -> assertThat(e.getStatus().getDescription()).isEqualTo("election: not leader"));
    }

    @Test
    void observeStreamsTheLeaderItsProclamationsAndItsSuccessors() throws Exception {
        BlockingQueue<LeaderResponse> seen = new LinkedBlockingQueue<>();
        Thread observer = Thread.ofVirtual().start(() -> {
            try {
                election.observe(named("ob"), seen::put);
            } catch (InterruptedException e) {
                // the test is over
            }
        });
        long a = member.grant(60);
        long b = member.grant(60);
        LeaderKey first = election.campaign(campaign("ob", a, "a1")).getLeader();
        LeaderResponse firstSeen = next(seen);
        assertThat(firstSeen.getKv().getValue().toStringUtf8()).isEqualTo("a1");
        assertThat(firstSeen.getHeader().getRevision()).isEqualTo(first.getRev());

        Candidate second = new Candidate(election, campaign("ob", b, "b1"));
        member.awaitKeyCount("ob/", 2);
        election.proclaim(ProclaimRequest.newBuilder().setLeader(first).setValue(bytes("a2")).build());
        assertThat(next(seen).getKv().getValue().toStringUtf8()).isEqualTo("a2");

        long resigned = election.resign(ResignRequest.newBuilder().setLeader(first).build()).getHeader().getRevision();
        get(second.answer);
        LeaderResponse successor = next(seen);
        assertThat(successor.getKv().getValue().toStringUtf8()).isEqualTo("b1");
        assertThat(successor.getHeader().getRevision()).isGreaterThanOrEqualTo(resigned);
        assertThat(seen).isEmpty(); // the waiting candidate was never reported as leader before

        observer.interrupt();
        assertThat(observer.join(Duration.ofSeconds(RecipeMember.WAIT_SECONDS))).isTrue();
    }

    private static LeaderResponse next(BlockingQueue<LeaderResponse> seen) throws InterruptedException {
        LeaderResponse response = seen.poll(RecipeMember.WAIT_SECONDS, TimeUnit.SECONDS);
        assertThat(response).as("an observed leader").isNotNull();
        return response;
    }
}
