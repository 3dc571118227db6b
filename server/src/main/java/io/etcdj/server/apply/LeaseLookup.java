package io.etcdj.server.apply;

/**
 * The one thing the KV applier asks of the lessor: does a lease exist? Until leases land
 * (issue 7) the server passes {@link #NONE}, under which every non-zero lease is missing and a
 * put with a lease fails with {@code etcdserver: requested lease not found}, as etcd answers for
 * an unknown lease.
 */
@FunctionalInterface
public interface LeaseLookup {

    LeaseLookup NONE = leaseId -> false;

    boolean exists(long leaseId);
}
