package io.etcdj.server.lease;

import com.google.protobuf.ByteString;
import java.util.List;

/**
 * A lease as LeaseTimeToLive reports it.
 *
 * @param id               the lease id
 * @param grantedTtlSeconds the TTL it was granted with
 * @param remainingSeconds seconds left on this member's clock, truncated (etcd's int64(Seconds()))
 * @param keys             attached keys in key order
 */
public record LeaseView(long id, long grantedTtlSeconds, long remainingSeconds, List<ByteString> keys) {
}
