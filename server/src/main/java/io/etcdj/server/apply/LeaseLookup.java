package io.etcdj.server.apply;

/**
 * The one thing the KV applier asks of the lessor: does a lease exist? The server passes its
 * {@code Lessor}; {@link #NONE} (every non-zero lease missing, so a put with a lease fails with
 * {@code etcdserver: requested lease not found}) serves tests that run without leases.
 */
@FunctionalInterface
public interface LeaseLookup {

    LeaseLookup NONE = leaseId -> false;

    boolean exists(long leaseId);
}
