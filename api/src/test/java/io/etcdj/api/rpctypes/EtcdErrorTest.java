package io.etcdj.api.rpctypes;

import static org.assertj.core.api.Assertions.assertThat;

import io.grpc.Status;
import io.grpc.Status.Code;
import io.grpc.StatusRuntimeException;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class EtcdErrorTest {

  @ParameterizedTest
  @EnumSource(EtcdError.class)
  void everyMessageCarriesEtcdsPrefix(EtcdError error) {
    // etcd has no exception to the prefix in its server error table; the bare grpc context texts
    // are not table entries but fromStatus aliases, tested below.
    assertThat(error.message()).startsWith(EtcdError.PREFIX);
    assertThat(error.message().length()).isGreaterThan(EtcdError.PREFIX.length());
  }

  @ParameterizedTest
  @EnumSource(EtcdError.class)
  void raisedErrorDecodesBackToItself(EtcdError error) {
    StatusRuntimeException raised = error.asException();
    assertThat(raised.getStatus().getCode()).isEqualTo(error.code());
    assertThat(raised.getStatus().getDescription()).isEqualTo(error.message());
    assertThat(EtcdError.fromStatus(raised.getStatus())).contains(error);
    assertThat(EtcdError.fromThrowable(raised)).contains(error);
    assertThat(error.matches(raised.getStatus())).isTrue();
  }

  @Test
  void messagesAreDistinct() {
    Set<String> messages =
        Arrays.stream(EtcdError.values()).map(EtcdError::message).collect(Collectors.toSet());
    assertThat(messages).hasSize(EtcdError.values().length);
  }

  /** Strings and codes copied by hand from /work/shared/reference/etcd-api.md §1.4. */
  @Test
  void exactStringsFromTheReference() {
    assertExact(EtcdError.COMPACTED, Code.OUT_OF_RANGE,
        "etcdserver: mvcc: required revision has been compacted");
    assertExact(EtcdError.FUTURE_REV, Code.OUT_OF_RANGE,
        "etcdserver: mvcc: required revision is a future revision");
    assertExact(EtcdError.NO_SPACE, Code.RESOURCE_EXHAUSTED, "etcdserver: mvcc: database space exceeded");
    assertExact(EtcdError.LEASE_NOT_FOUND, Code.NOT_FOUND, "etcdserver: requested lease not found");
    assertExact(EtcdError.MEMBER_EXIST, Code.FAILED_PRECONDITION, "etcdserver: member ID already exist");
    assertExact(EtcdError.PEER_URL_EXIST, Code.FAILED_PRECONDITION, "etcdserver: Peer URLs already exists");
    assertExact(EtcdError.INVALID_AUTH_TOKEN, Code.UNAUTHENTICATED, "etcdserver: invalid auth token");
    assertExact(EtcdError.PERMISSION_DENIED, Code.PERMISSION_DENIED, "etcdserver: permission denied");
    assertExact(EtcdError.NOT_SUPPORTED_FOR_LEARNER, Code.FAILED_PRECONDITION,
        "etcdserver: rpc not supported for learner");
    assertExact(EtcdError.CORRUPT, Code.DATA_LOSS, "etcdserver: corrupt cluster");
    assertExact(EtcdError.TOO_MANY_REQUESTS, Code.RESOURCE_EXHAUSTED, "etcdserver: too many requests");
    assertExact(EtcdError.AUTH_FAILED, Code.INVALID_ARGUMENT,
        "etcdserver: authentication failed, invalid user ID or password");
    assertExact(EtcdError.TIMEOUT_WAIT_APPLIED_INDEX, Code.UNAVAILABLE,
        "etcdserver: request timed out, waiting for the applied index took too long");
    assertExact(EtcdError.CANCELED, Code.CANCELLED, "etcdserver: request canceled");
    assertExact(EtcdError.DEADLINE_EXCEEDED, Code.DEADLINE_EXCEEDED,
        "etcdserver: context deadline exceeded");
    assertExact(EtcdError.WATCH_CANCELED, Code.CANCELLED, "etcdserver: watch canceled");
  }

  @Test
  void bareContextTextsMapOnlyWithTheirCode() {
    assertThat(EtcdError.fromStatus(Status.CANCELLED.withDescription("context canceled")))
        .contains(EtcdError.CANCELED);
    assertThat(EtcdError.fromStatus(Status.DEADLINE_EXCEEDED.withDescription("context deadline exceeded")))
        .contains(EtcdError.DEADLINE_EXCEEDED);
    assertThat(EtcdError.fromStatus(Status.UNKNOWN.withDescription("context canceled"))).isEmpty();
    assertThat(EtcdError.fromStatus(Status.UNKNOWN.withDescription("context deadline exceeded")))
        .isEmpty();
  }

  @Test
  void unknownOrNearMissMessagesAreNotEtcdErrors() {
    // Negative controls: the decoder must not match loosely.
    assertThat(EtcdError.fromStatus(Status.UNAVAILABLE)).isEmpty();
    assertThat(EtcdError.fromStatus(Status.UNAVAILABLE.withDescription("etcdserver: no leader ")))
        .isEmpty();
    assertThat(EtcdError.fromStatus(Status.OUT_OF_RANGE.withDescription(
        "mvcc: required revision has been compacted"))).isEmpty();
    assertThat(EtcdError.NO_LEADER.matches(EtcdError.LEADER_CHANGED.status())).isFalse();
  }

  @Test
  void goClientMapsExactlyTheDocumentedSubset() {
    // Entries etcd's errStringToError leaves out: the client keeps the raw status for them.
    Set<EtcdError> untyped = EnumSet.of(EtcdError.INVALID_CLIENT_API_VERSION, EtcdError.WATCH_CANCELED,
        EtcdError.PERMISSION_NOT_GIVEN, EtcdError.TIMEOUT_WAIT_APPLIED_INDEX, EtcdError.CANCELED,
        EtcdError.DEADLINE_EXCEEDED);
    for (EtcdError error : EtcdError.values()) {
      assertThat(error.typedByGoClient()).as(error.name()).isEqualTo(!untyped.contains(error));
    }
  }

  private static void assertExact(EtcdError error, Code code, String message) {
    assertThat(error.code()).as(error.name()).isEqualTo(code);
    assertThat(error.message()).as(error.name()).isEqualTo(message);
  }
}
