package io.etcdj.server.concurrency;

import io.etcdj.api.etcdserverpb.LeaseGrantRequest;

/**
 * The lease a recipe call works under. etcd opens a clientv3 session for the caller's lease; a
 * call without one (lease 0) gets a session of its own, which grants a fresh lease with the
 * session's default TTL and leaves it to expire, since nobody keeps it alive (checked on etcd
 * 3.4.23: such a lease shows TTL 60 s).
 */
final class Sessions {
    /** clientv3 concurrency's default session TTL. */
    static final long DEFAULT_TTL_SECONDS = 60;

    private Sessions() {
    }

    static long lease(LocalClient client, long requested) throws InterruptedException {
        if (requested != 0) {
            return requested;
        }
        return Keys.await(client.leaseGrant(LeaseGrantRequest.newBuilder().setTTL(DEFAULT_TTL_SECONDS).build())).getID();
    }
}
