package io.etcdj.api.rpctypes;

/**
 * The gRPC metadata keys etcd clients send, so the server and our client spell them alike.
 * They are part of the wire contract like the error messages (etcd's rpctypes md.go and
 * metadatafields.go).
 */
public final class EtcdMetadata {
  /** The auth token from Authenticate, on every call once auth is on. */
  public static final String TOKEN = "token";
  /** The HTTP gateway carries the token in this header instead. */
  public static final String TOKEN_GATEWAY_HEADER = "authorization";
  /** Set to {@link #HAS_LEADER_TRUE} by clients that want calls to fail fast without a leader. */
  public static final String REQUIRE_LEADER = "hasleader";
  /** The only value of {@link #REQUIRE_LEADER} that asks for the check. */
  public static final String HAS_LEADER_TRUE = "true";
  /** The client's API version, e.g. "3.6"; must be valid UTF-8. */
  public static final String CLIENT_API_VERSION = "client-api-version";

  private EtcdMetadata() {}
}
