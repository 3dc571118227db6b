package io.etcdj.api.wire;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.Descriptors.FileDescriptor;
import io.etcdj.api.authpb.AuthProto;
import io.etcdj.api.etcdserverpb.AuthGrpc;
import io.etcdj.api.etcdserverpb.ClusterGrpc;
import io.etcdj.api.etcdserverpb.KVGrpc;
import io.etcdj.api.etcdserverpb.LeaseGrpc;
import io.etcdj.api.etcdserverpb.MaintenanceGrpc;
import io.etcdj.api.etcdserverpb.RpcProto;
import io.etcdj.api.etcdserverpb.WatchGrpc;
import io.etcdj.api.mvccpb.KvProto;
import io.etcdj.api.v3electionpb.ElectionGrpc;
import io.etcdj.api.v3electionpb.V3ElectionProto;
import io.etcdj.api.v3lockpb.LockGrpc;
import io.etcdj.api.v3lockpb.V3LockProto;
import io.grpc.MethodDescriptor.MethodType;
import io.grpc.ServiceDescriptor;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The generated code against the hand-written table of etcd's wire contract (wire/etcd-wire.txt). */
class WireContractTest {
  private static final String TABLE = "/wire/etcd-wire.txt";

  private static final List<FileDescriptor> FILES = List.of(KvProto.getDescriptor(),
      AuthProto.getDescriptor(), RpcProto.getDescriptor(), V3LockProto.getDescriptor(),
      V3ElectionProto.getDescriptor());

  private static final List<ServiceDescriptor> SERVICES = List.of(KVGrpc.getServiceDescriptor(),
      WatchGrpc.getServiceDescriptor(), LeaseGrpc.getServiceDescriptor(),
      ClusterGrpc.getServiceDescriptor(), MaintenanceGrpc.getServiceDescriptor(),
      AuthGrpc.getServiceDescriptor(), LockGrpc.getServiceDescriptor(),
      ElectionGrpc.getServiceDescriptor());

  @Test
  void generatedCodeMatchesEtcdsContractExactly() throws IOException {
    Set<String> expected = WireContract.fromTable(WireContract.tableLines(TABLE));
    Set<String> actual = WireContract.fromGenerated(FILES, SERVICES);
    assertThat(WireContract.diff(expected, actual)).isEmpty();
    // Guard against a vacuous pass (an empty or truncated table, a missing file).
    assertThat(expected.stream().filter(f -> f.startsWith("rpc ")).count()).isEqualTo(49);
    assertThat(expected.stream().filter(f -> f.startsWith("message ")).count()).isEqualTo(117);
  }

  @Test
  void everyServiceOfTheFilesIsCovered() {
    long protoServices = FILES.stream().mapToLong(f -> f.getServices().size()).sum();
    assertThat(SERVICES).hasSize((int) protoServices);
  }

  @Test
  void packagesAreEtcdsSoPathsAreEtcds() {
    assertThat(FILES).extracting(FileDescriptor::getPackage)
        .containsExactly("mvccpb", "authpb", "etcdserverpb", "v3lockpb", "v3electionpb");
    assertThat(KVGrpc.getRangeMethod().getFullMethodName()).isEqualTo("etcdserverpb.KV/Range");
    assertThat(LockGrpc.getLockMethod().getFullMethodName()).isEqualTo("v3lockpb.Lock/Lock");
    assertThat(ElectionGrpc.getCampaignMethod().getFullMethodName())
        .isEqualTo("v3electionpb.Election/Campaign");
  }

  @Test
  void streamingKindsOfTheStreamingMethods() {
    assertThat(KVGrpc.getRangeStreamMethod().getType()).isEqualTo(MethodType.SERVER_STREAMING);
    assertThat(WatchGrpc.getWatchMethod().getType()).isEqualTo(MethodType.BIDI_STREAMING);
    assertThat(LeaseGrpc.getLeaseKeepAliveMethod().getType()).isEqualTo(MethodType.BIDI_STREAMING);
    assertThat(MaintenanceGrpc.getSnapshotMethod().getType()).isEqualTo(MethodType.SERVER_STREAMING);
    assertThat(ElectionGrpc.getObserveMethod().getType()).isEqualTo(MethodType.SERVER_STREAMING);
    assertThat(KVGrpc.getRangeMethod().getType()).isEqualTo(MethodType.UNARY);
  }

  /** Negative controls: each kind of drift in the table must show up in the diff. */
  @Test
  void checkerCatchesAWrongNumberTypeOneofOrStreamingKind() throws IOException {
    Set<String> actual = WireContract.fromGenerated(FILES, SERVICES);
    assertDetected("range_end:64:bytes", "range_end:9:bytes", actual);
    assertDetected("hash:2:uint32 compact", "hash:2:uint64 compact", actual);
    assertDetected("lease:8:int64@target_union", "lease:8:int64", actual);
    assertDetected("filters:5:etcdserverpb.WatchCreateRequest.FilterType[]",
        "filters:5:etcdserverpb.WatchCreateRequest.FilterType", actual);
    assertDetected("KV/RangeStream SERVER_STREAMING", "KV/RangeStream UNARY", actual);
    assertDetected("NOSPACE=1 CORRUPT=2", "NOSPACE=1 CORRUPT=3", actual);
    assertDetected(" downgradeInfo:13:etcdserverpb.DowngradeInfo", "", actual);
  }

  private static void assertDetected(String original, String planted, Set<String> actual)
      throws IOException {
    List<String> mutated = new ArrayList<>();
    int replaced = 0;
    for (String line : WireContract.tableLines(TABLE)) {
      if (line.contains(original)) {
        replaced++;
        line = line.replace(original, planted);
      }
      mutated.add(line);
    }
    assertThat(replaced).as("the control must plant exactly one bug: " + original).isEqualTo(1);
    assertThat(WireContract.diff(WireContract.fromTable(mutated), actual)).isNotEmpty();
  }
}
