package io.etcdj.tests.differential;

/**
 * One step of the lease differential run, before it becomes a request: leases granted with a
 * server-chosen id are named by a handle (each server chose its own id), every other lease by its
 * raw id, which both servers share.
 */
sealed interface LeaseOp {

    /** A lease argument: a handle of a server-chosen grant ({@code handle ≥ 0}), else the raw id. */
    record Ref(int handle, long raw) {
        static final Ref NONE = new Ref(-1, 0);

        static Ref handle(int handle) {
            return new Ref(handle, 0);
        }

        static Ref raw(long id) {
            return new Ref(-1, id);
        }

        @Override
        public String toString() {
            return handle >= 0 ? "lease#" + handle : Long.toString(raw);
        }
    }

    /** {@code clientId} 0 lets the server choose; {@code handle} names the result then. */
    record Grant(int handle, long ttl, long clientId) implements LeaseOp {
    }

    record Revoke(Ref lease) implements LeaseOp {
    }

    record TimeToLive(Ref lease, boolean keys) implements LeaseOp {
    }

    record Leases() implements LeaseOp {
    }

    /** One LeaseKeepAlive request on a fresh stream, one answer, stream closed (etcdctl keep-alive --once). */
    record KeepAliveOnce(Ref lease) implements LeaseOp {
    }

    record Put(String key, Ref lease, boolean ignoreLease, boolean prevKv) implements LeaseOp {
    }

    /** Every key, to see attached keys vanish with their lease. */
    record RangeAll() implements LeaseOp {
    }
}
