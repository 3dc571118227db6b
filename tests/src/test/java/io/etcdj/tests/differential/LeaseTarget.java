package io.etcdj.tests.differential;

import com.google.protobuf.Message;

/** One side of the lease differential run: a server answering Lease and KV requests. */
interface LeaseTarget extends AutoCloseable {

    String name();

    /** Sends one request and returns the answer; never throws for a gRPC error. */
    Outcome call(Message request);

    @Override
    void close();
}
