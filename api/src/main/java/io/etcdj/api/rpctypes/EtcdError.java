package io.etcdj.api.rpctypes;

import io.grpc.Status;
import io.grpc.Status.Code;
import io.grpc.StatusRuntimeException;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Every error etcd's server sends to clients, with its gRPC code and its exact message.
 *
 * <p>The message is the contract (see the package doc), including the {@code "etcdserver: "} prefix
 * and etcd's own spelling ("member ID already exist", "Peer URLs already exists"). Do not edit a
 * message to read better.
 *
 * <p>{@link #typedByGoClient()} says whether etcd's Go client ({@code rpctypes.Error}) maps the
 * message back to a typed error; for the others it keeps the raw gRPC status. Our
 * {@link #fromStatus(Status)} recognises all of them, which is a superset and loses nothing.
 */
public enum EtcdError {
  // Request shape and KV.
  EMPTY_KEY(Code.INVALID_ARGUMENT, "etcdserver: key is not provided", true),
  KEY_NOT_FOUND(Code.INVALID_ARGUMENT, "etcdserver: key not found", true),
  VALUE_PROVIDED(Code.INVALID_ARGUMENT, "etcdserver: value is provided", true),
  LEASE_PROVIDED(Code.INVALID_ARGUMENT, "etcdserver: lease is provided", true),
  TOO_MANY_OPS(Code.INVALID_ARGUMENT, "etcdserver: too many operations in txn request", true),
  DUPLICATE_KEY(Code.INVALID_ARGUMENT, "etcdserver: duplicate key given in txn request", true),
  /** Sent when the client-api-version metadata is not valid UTF-8. */
  INVALID_CLIENT_API_VERSION(Code.INVALID_ARGUMENT, "etcdserver: invalid client api version", false),
  INVALID_SORT_OPTION(Code.INVALID_ARGUMENT, "etcdserver: invalid sort option", true),
  /** Kubernetes matches the "mvcc: required revision has been compacted" part of this message. */
  COMPACTED(Code.OUT_OF_RANGE, "etcdserver: mvcc: required revision has been compacted", true),
  FUTURE_REV(Code.OUT_OF_RANGE, "etcdserver: mvcc: required revision is a future revision", true),
  NO_SPACE(Code.RESOURCE_EXHAUSTED, "etcdserver: mvcc: database space exceeded", true),

  // Lease.
  LEASE_NOT_FOUND(Code.NOT_FOUND, "etcdserver: requested lease not found", true),
  LEASE_EXIST(Code.FAILED_PRECONDITION, "etcdserver: lease already exists", true),
  LEASE_TTL_TOO_LARGE(Code.OUT_OF_RANGE, "etcdserver: too large lease TTL", true),

  // Watch: ends a watch stream whose context the client canceled.
  WATCH_CANCELED(Code.CANCELLED, "etcdserver: watch canceled", false),

  // Membership.
  MEMBER_EXIST(Code.FAILED_PRECONDITION, "etcdserver: member ID already exist", true),
  PEER_URL_EXIST(Code.FAILED_PRECONDITION, "etcdserver: Peer URLs already exists", true),
  MEMBER_NOT_ENOUGH_STARTED(Code.FAILED_PRECONDITION,
      "etcdserver: re-configuration failed due to not enough started members", true),
  MEMBER_BAD_URLS(Code.INVALID_ARGUMENT, "etcdserver: given member URLs are invalid", true),
  MEMBER_NOT_FOUND(Code.NOT_FOUND, "etcdserver: member not found", true),
  MEMBER_NOT_LEARNER(Code.FAILED_PRECONDITION, "etcdserver: can only promote a learner member", true),
  LEARNER_NOT_READY(Code.FAILED_PRECONDITION,
      "etcdserver: can only promote a learner member which is in sync with leader", true),
  TOO_MANY_LEARNERS(Code.FAILED_PRECONDITION, "etcdserver: too many learner members in cluster", true),
  CLUSTER_ID_MISMATCH(Code.FAILED_PRECONDITION, "etcdserver: cluster ID mismatch", true),

  // Limits.
  REQUEST_TOO_LARGE(Code.INVALID_ARGUMENT, "etcdserver: request is too large", true),
  /** Sent when the committed index runs too far (5000) ahead of the applied index. */
  TOO_MANY_REQUESTS(Code.RESOURCE_EXHAUSTED, "etcdserver: too many requests", true),

  // Auth.
  ROOT_USER_NOT_EXIST(Code.FAILED_PRECONDITION, "etcdserver: root user does not exist", true),
  ROOT_ROLE_NOT_EXIST(Code.FAILED_PRECONDITION, "etcdserver: root user does not have root role", true),
  USER_ALREADY_EXIST(Code.FAILED_PRECONDITION, "etcdserver: user name already exists", true),
  USER_EMPTY(Code.INVALID_ARGUMENT, "etcdserver: user name is empty", true),
  USER_NOT_FOUND(Code.FAILED_PRECONDITION, "etcdserver: user name not found", true),
  ROLE_ALREADY_EXIST(Code.FAILED_PRECONDITION, "etcdserver: role name already exists", true),
  ROLE_NOT_FOUND(Code.FAILED_PRECONDITION, "etcdserver: role name not found", true),
  ROLE_EMPTY(Code.INVALID_ARGUMENT, "etcdserver: role name is empty", true),
  AUTH_FAILED(Code.INVALID_ARGUMENT,
      "etcdserver: authentication failed, invalid user ID or password", true),
  PERMISSION_NOT_GIVEN(Code.INVALID_ARGUMENT, "etcdserver: permission not given", false),
  PERMISSION_DENIED(Code.PERMISSION_DENIED, "etcdserver: permission denied", true),
  ROLE_NOT_GRANTED(Code.FAILED_PRECONDITION, "etcdserver: role is not granted to the user", true),
  PERMISSION_NOT_GRANTED(Code.FAILED_PRECONDITION,
      "etcdserver: permission is not granted to the role", true),
  AUTH_NOT_ENABLED(Code.FAILED_PRECONDITION, "etcdserver: authentication is not enabled", true),
  INVALID_AUTH_TOKEN(Code.UNAUTHENTICATED, "etcdserver: invalid auth token", true),
  INVALID_AUTH_MGMT(Code.INVALID_ARGUMENT, "etcdserver: invalid auth management", true),
  AUTH_OLD_REVISION(Code.INVALID_ARGUMENT, "etcdserver: revision of auth store is old", true),

  // Leadership, availability, health.
  NO_LEADER(Code.UNAVAILABLE, "etcdserver: no leader", true),
  NOT_LEADER(Code.FAILED_PRECONDITION, "etcdserver: not leader", true),
  LEADER_CHANGED(Code.UNAVAILABLE, "etcdserver: leader changed", true),
  NOT_CAPABLE(Code.FAILED_PRECONDITION, "etcdserver: not capable", true),
  STOPPED(Code.UNAVAILABLE, "etcdserver: server stopped", true),
  TIMEOUT(Code.UNAVAILABLE, "etcdserver: request timed out", true),
  TIMEOUT_DUE_TO_LEADER_FAIL(Code.UNAVAILABLE,
      "etcdserver: request timed out, possibly due to previous leader failure", true),
  TIMEOUT_DUE_TO_CONNECTION_LOST(Code.UNAVAILABLE,
      "etcdserver: request timed out, possibly due to connection lost", true),
  TIMEOUT_WAIT_APPLIED_INDEX(Code.UNAVAILABLE,
      "etcdserver: request timed out, waiting for the applied index took too long", false),
  UNHEALTHY(Code.UNAVAILABLE, "etcdserver: unhealthy cluster", true),
  CORRUPT(Code.DATA_LOSS, "etcdserver: corrupt cluster", true),
  NOT_SUPPORTED_FOR_LEARNER(Code.FAILED_PRECONDITION, "etcdserver: rpc not supported for learner", true),
  BAD_LEADER_TRANSFEREE(Code.FAILED_PRECONDITION, "etcdserver: bad leader transferee", true),

  // Downgrade.
  WRONG_DOWNGRADE_VERSION_FORMAT(Code.INVALID_ARGUMENT,
      "etcdserver: wrong downgrade target version format", true),
  INVALID_DOWNGRADE_TARGET_VERSION(Code.INVALID_ARGUMENT,
      "etcdserver: invalid downgrade target version", true),
  CLUSTER_VERSION_UNAVAILABLE(Code.FAILED_PRECONDITION,
      "etcdserver: cluster version not found during downgrade", true),
  DOWNGRADE_IN_PROCESS(Code.FAILED_PRECONDITION,
      "etcdserver: cluster has a downgrade job in progress", true),
  NO_INFLIGHT_DOWNGRADE(Code.FAILED_PRECONDITION, "etcdserver: no inflight downgrade job", true),

  // The request's own context ended. etcd defines these, but when its handlers see the context
  // error they let grpc-go answer instead, whose text is the bare "context canceled" / "context
  // deadline exceeded"; fromStatus accepts both spellings.
  CANCELED(Code.CANCELLED, "etcdserver: request canceled", false),
  DEADLINE_EXCEEDED(Code.DEADLINE_EXCEEDED, "etcdserver: context deadline exceeded", false);

  /** grpc-go's text for a handler that returned the canceled context's error. */
  public static final String BARE_CONTEXT_CANCELED = "context canceled";
  /** grpc-go's text for a handler that returned the expired context's error. */
  public static final String BARE_CONTEXT_DEADLINE_EXCEEDED = "context deadline exceeded";

  /** The prefix etcd puts on every server error message. */
  public static final String PREFIX = "etcdserver: ";

  private static final Map<String, EtcdError> BY_MESSAGE = indexByMessage();

  private final Code code;
  private final String message;
  private final boolean typedByGoClient;

  EtcdError(Code code, String message, boolean typedByGoClient) {
    this.code = code;
    this.message = message;
    this.typedByGoClient = typedByGoClient;
  }

  /** The gRPC status code etcd sends with this error. */
  public Code code() {
    return code;
  }

  /** The exact status message etcd sends, prefix included. */
  public String message() {
    return message;
  }

  /** Whether etcd's Go client turns this message back into a typed error (its errStringToError). */
  public boolean typedByGoClient() {
    return typedByGoClient;
  }

  /** The status to close a call with. */
  public Status status() {
    return Status.fromCode(code).withDescription(message);
  }

  /** The exception a gRPC handler throws (or passes to onError) to send this error. */
  public StatusRuntimeException asException() {
    return status().asRuntimeException();
  }

  /**
   * The etcd error a status carries, matched by message as etcd's Go client does: the code is not
   * consulted, because the message alone identifies the error (some clients see codes rewritten by
   * proxies). Bare grpc context messages map to {@link #CANCELED} / {@link #DEADLINE_EXCEEDED} only
   * with their matching code, since "context canceled" alone is ordinary grpc text.
   */
  public static Optional<EtcdError> fromStatus(Status status) {
    Objects.requireNonNull(status, "status");
    String description = status.getDescription();
    if (description == null) {
      return Optional.empty();
    }
    EtcdError known = BY_MESSAGE.get(description);
    if (known != null) {
      return Optional.of(known);
    }
    if (status.getCode() == Code.CANCELLED && description.equals(BARE_CONTEXT_CANCELED)) {
      return Optional.of(CANCELED);
    }
    if (status.getCode() == Code.DEADLINE_EXCEEDED
        && description.equals(BARE_CONTEXT_DEADLINE_EXCEEDED)) {
      return Optional.of(DEADLINE_EXCEEDED);
    }
    return Optional.empty();
  }

  /** {@link #fromStatus(Status)} on whatever status a throwable carries (grpc's own unwrapping). */
  public static Optional<EtcdError> fromThrowable(Throwable throwable) {
    return fromStatus(Status.fromThrowable(throwable));
  }

  /** Whether a status is this error. */
  public boolean matches(Status status) {
    return fromStatus(status).orElse(null) == this;
  }

  private static Map<String, EtcdError> indexByMessage() {
    Map<String, EtcdError> byMessage = new HashMap<>();
    for (EtcdError error : values()) {
      EtcdError previous = byMessage.put(error.message, error);
      if (previous != null) {
        throw new IllegalStateException("two errors share a message: " + previous + ", " + error);
      }
    }
    return Map.copyOf(byMessage);
  }
}
