package io.etcdj.api.e2e;

import static io.etcdj.api.e2e.ReferenceEtcdKvTest.assertEtcdError;
import static io.etcdj.api.e2e.ReferenceEtcdKvTest.bytes;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.etcdj.api.etcdserverpb.AlarmRequest;
import io.etcdj.api.etcdserverpb.AlarmResponse;
import io.etcdj.api.etcdserverpb.AuthGrpc;
import io.etcdj.api.etcdserverpb.AuthStatusRequest;
import io.etcdj.api.etcdserverpb.AuthUserListRequest;
import io.etcdj.api.etcdserverpb.ClusterGrpc;
import io.etcdj.api.etcdserverpb.DowngradeRequest;
import io.etcdj.api.etcdserverpb.HashKVRequest;
import io.etcdj.api.etcdserverpb.HashKVResponse;
import io.etcdj.api.etcdserverpb.KVGrpc;
import io.etcdj.api.etcdserverpb.LeaseGrantRequest;
import io.etcdj.api.etcdserverpb.LeaseGrantResponse;
import io.etcdj.api.etcdserverpb.LeaseGrpc;
import io.etcdj.api.etcdserverpb.LeaseLeasesRequest;
import io.etcdj.api.etcdserverpb.LeaseRevokeRequest;
import io.etcdj.api.etcdserverpb.LeaseStatus;
import io.etcdj.api.etcdserverpb.LeaseTimeToLiveRequest;
import io.etcdj.api.etcdserverpb.LeaseTimeToLiveResponse;
import io.etcdj.api.etcdserverpb.MaintenanceGrpc;
import io.etcdj.api.etcdserverpb.Member;
import io.etcdj.api.etcdserverpb.MemberListRequest;
import io.etcdj.api.etcdserverpb.MemberListResponse;
import io.etcdj.api.etcdserverpb.PutRequest;
import io.etcdj.api.etcdserverpb.StatusRequest;
import io.etcdj.api.etcdserverpb.StatusResponse;
import io.etcdj.api.rpctypes.EtcdError;
import io.etcdj.api.v3electionpb.CampaignRequest;
import io.etcdj.api.v3electionpb.CampaignResponse;
import io.etcdj.api.v3electionpb.ElectionGrpc;
import io.etcdj.api.v3electionpb.LeaderKey;
import io.etcdj.api.v3electionpb.LeaderRequest;
import io.etcdj.api.v3electionpb.ProclaimRequest;
import io.etcdj.api.v3electionpb.ResignRequest;
import io.etcdj.api.v3lockpb.LockGrpc;
import io.etcdj.api.v3lockpb.LockRequest;
import io.etcdj.api.v3lockpb.LockResponse;
import io.etcdj.api.v3lockpb.UnlockRequest;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.nio.file.Files;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** Lease, Cluster, Maintenance, Auth, Lock and Election through our stubs against the real etcd. */
@Tag("e2e")
class ReferenceEtcdServicesTest {
  private static final long DEADLINE_SECONDS = 15;
  private static ReferenceEtcd etcd;

  @BeforeAll
  static void startEtcd() throws Exception {
    assertThat(Files.isExecutable(ReferenceEtcd.BINARY))
        .as("reference etcd missing; apt-get install -y etcd-server etcd-client").isTrue();
    etcd = ReferenceEtcd.start();
    etcd.awaitServing(60);
  }

  @AfterAll
  static void stopEtcd() throws Exception {
    if (etcd != null) {
      etcd.close();
    }
  }

  private static LeaseGrpc.LeaseBlockingStub lease() {
    return LeaseGrpc.newBlockingStub(etcd.channel).withDeadlineAfter(DEADLINE_SECONDS, TimeUnit.SECONDS);
  }

  private static MaintenanceGrpc.MaintenanceBlockingStub maintenance() {
    return MaintenanceGrpc.newBlockingStub(etcd.channel)
        .withDeadlineAfter(DEADLINE_SECONDS, TimeUnit.SECONDS);
  }

  @Test
  void leaseGrantTimeToLiveLeasesRevoke() {
    LeaseGrantResponse granted = lease().leaseGrant(LeaseGrantRequest.newBuilder().setTTL(60).build());
    assertThat(granted.getID()).isNotZero();
    assertThat(granted.getTTL()).isEqualTo(60);
    assertThat(granted.getError()).isEmpty();
    KVGrpc.newBlockingStub(etcd.channel).withDeadlineAfter(DEADLINE_SECONDS, TimeUnit.SECONDS)
        .put(PutRequest.newBuilder().setKey(bytes("lease/k")).setLease(granted.getID()).build());

    LeaseTimeToLiveResponse alive = lease().leaseTimeToLive(LeaseTimeToLiveRequest.newBuilder()
        .setID(granted.getID()).setKeys(true).build());
    assertThat(alive.getID()).isEqualTo(granted.getID());
    assertThat(alive.getGrantedTTL()).isEqualTo(60);
    assertThat(alive.getTTL()).isBetween(1L, 60L);
    assertThat(alive.getKeysList()).containsExactly(bytes("lease/k"));
    assertThat(lease().leaseLeases(LeaseLeasesRequest.getDefaultInstance()).getLeasesList())
        .extracting(LeaseStatus::getID).contains(granted.getID());

    lease().leaseRevoke(LeaseRevokeRequest.newBuilder().setID(granted.getID()).build());
    LeaseTimeToLiveResponse gone = lease().leaseTimeToLive(LeaseTimeToLiveRequest.newBuilder()
        .setID(granted.getID()).build());
    assertThat(gone.getTTL()).isEqualTo(-1);
    assertEtcdError(EtcdError.LEASE_NOT_FOUND,
        () -> lease().leaseRevoke(LeaseRevokeRequest.newBuilder().setID(granted.getID()).build()));
  }

  @Test
  void memberListNamesTheOneMember() {
    MemberListResponse list = ClusterGrpc.newBlockingStub(etcd.channel)
        .withDeadlineAfter(DEADLINE_SECONDS, TimeUnit.SECONDS)
        .memberList(MemberListRequest.newBuilder().setLinearizable(true).build());
    assertThat(list.getMembersList()).hasSize(1);
    Member member = list.getMembers(0);
    assertThat(member.getID()).isEqualTo(list.getHeader().getMemberId());
    assertThat(member.getName()).isEqualTo(ReferenceEtcd.NAME);
    assertThat(member.getPeerURLsList()).containsExactly(etcd.peerUrl());
    assertThat(member.getClientURLsList()).containsExactly(ReferenceEtcd.clientUrl(etcd.clientPort));
    assertThat(member.getIsLearner()).isFalse();
  }

  @Test
  void statusReportsVersionLeaderAndSizes() {
    StatusResponse status = maintenance().status(StatusRequest.getDefaultInstance());
    assertThat(status.getVersion()).startsWith("3.4");
    assertThat(status.getLeader()).isEqualTo(status.getHeader().getMemberId());
    assertThat(status.getDbSize()).isPositive();
    assertThat(status.getDbSizeInUse()).isPositive();
    assertThat(status.getRaftIndex()).isPositive();
    assertThat(status.getRaftAppliedIndex()).isPositive();
    assertThat(status.getRaftTerm()).isPositive();
    assertThat(status.getIsLearner()).isFalse();
    // 3.6's fields 11..13 are absent from a 3.4 answer.
    assertThat(status.getStorageVersion()).isEmpty();
    assertThat(status.hasDowngradeInfo()).isFalse();
  }

  @Test
  void hashKvAndAlarmGet() {
    HashKVResponse hash = maintenance().hashKV(HashKVRequest.getDefaultInstance());
    assertThat(hash.getHeader().getRevision()).isPositive();
    assertThat(hash.getHash()).isNotZero();
    HashKVResponse again = maintenance().hashKV(HashKVRequest.newBuilder()
        .setRevision(hash.getHeader().getRevision()).build());
    assertThat(again.getHash()).isEqualTo(hash.getHash());

    AlarmResponse alarms = maintenance().alarm(AlarmRequest.newBuilder()
        .setAction(AlarmRequest.AlarmAction.GET).build());
    assertThat(alarms.getAlarmsList()).isEmpty();
    // A fact for the server, seen on 3.4.23 with our stubs and with etcdctl (`alarm list -w json`
    // prints {}): an Alarm answer with no alarms has no header at all, so nothing to decode here.
    assertThat(alarms.hasHeader()).isFalse();
  }

  @Test
  void downgradeIsUnknownToEtcd34() {
    StatusRuntimeException e = catchThrowableOfType(StatusRuntimeException.class,
        () -> maintenance().downgrade(DowngradeRequest.newBuilder()
            .setAction(DowngradeRequest.DowngradeAction.VALIDATE).setVersion("3.3").build()));
    assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.UNIMPLEMENTED);
  }

  @Test
  void authWithoutAuthEnabled() {
    AuthGrpc.AuthBlockingStub auth = AuthGrpc.newBlockingStub(etcd.channel)
        .withDeadlineAfter(DEADLINE_SECONDS, TimeUnit.SECONDS);
    // AuthStatus is etcd 3.5; the 3.4 server does not know the method.
    StatusRuntimeException e = catchThrowableOfType(StatusRuntimeException.class,
        () -> auth.authStatus(AuthStatusRequest.getDefaultInstance()));
    assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.UNIMPLEMENTED);
    // A 3.0 auth RPC on the same service path works, so the path itself is right.
    assertThat(auth.userList(AuthUserListRequest.getDefaultInstance()).getUsersList()).isEmpty();
  }

  @Test
  void lockAndUnlock() {
    long leaseId = lease().leaseGrant(LeaseGrantRequest.newBuilder().setTTL(30).build()).getID();
    LockGrpc.LockBlockingStub lock = LockGrpc.newBlockingStub(etcd.channel)
        .withDeadlineAfter(DEADLINE_SECONDS, TimeUnit.SECONDS);
    LockResponse held = lock.lock(LockRequest.newBuilder().setName(bytes("lk")).setLease(leaseId)
        .build());
    // The ownership key is name/<lease ID in hex>.
    assertThat(held.getKey().toStringUtf8()).isEqualTo("lk/" + Long.toHexString(leaseId));
    assertThat(held.getHeader().getRevision()).isPositive();
    lock.unlock(UnlockRequest.newBuilder().setKey(held.getKey()).build());
  }

  @Test
  void campaignProclaimLeaderResign() {
    long leaseId = lease().leaseGrant(LeaseGrantRequest.newBuilder().setTTL(30).build()).getID();
    ElectionGrpc.ElectionBlockingStub election = ElectionGrpc.newBlockingStub(etcd.channel)
        .withDeadlineAfter(DEADLINE_SECONDS, TimeUnit.SECONDS);
    CampaignResponse won = election.campaign(CampaignRequest.newBuilder().setName(bytes("el"))
        .setLease(leaseId).setValue(bytes("v1")).build());
    LeaderKey leader = won.getLeader();
    assertThat(leader.getName()).isEqualTo(bytes("el"));
    assertThat(leader.getKey().toStringUtf8()).isEqualTo("el/" + Long.toHexString(leaseId));
    assertThat(leader.getLease()).isEqualTo(leaseId);
    assertThat(leader.getRev()).isPositive();

    LeaderRequest ask = LeaderRequest.newBuilder().setName(bytes("el")).build();
    assertThat(election.leader(ask).getKv().getValue()).isEqualTo(bytes("v1"));
    election.proclaim(ProclaimRequest.newBuilder().setLeader(leader).setValue(bytes("v2")).build());
    assertThat(election.leader(ask).getKv().getValue()).isEqualTo(bytes("v2"));
    assertThat(election.leader(ask).getKv().getCreateRevision()).isEqualTo(leader.getRev());
    election.resign(ResignRequest.newBuilder().setLeader(leader).build());
  }
}
