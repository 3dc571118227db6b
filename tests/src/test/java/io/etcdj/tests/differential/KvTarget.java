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

    /**
     * SIGKILL the server and start it again on the same data dir: every answer given before must
     * still hold afterwards. Targets that cannot restart say so.
     */
    default void killAndRestart() {
        throw new UnsupportedOperationException(name() + " cannot be restarted");
    }

    @Override
    void close();
}
