package io.etcdj.tests.differential;

import com.google.protobuf.Message;

/** One side of the comparison: a server that answers KV requests. */
public interface KvTarget extends AutoCloseable {

    /** A short name for reports ("reference", "etcdj"). */
    String name();

    /**
     * Sends one KV request (RangeRequest, PutRequest, DeleteRangeRequest, TxnRequest or
     * CompactionRequest) and returns the answer; never throws for a gRPC error.
     */
    Outcome call(Message request);

    @Override
    void close();
}
