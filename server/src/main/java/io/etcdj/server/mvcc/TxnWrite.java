package io.etcdj.server.mvcc;

/**
 * The apply thread's write transaction: all its changes share one main revision (current + 1),
 * each with its own sub revision, and its ranges see its own earlier writes. {@link #end()}
 * publishes the revision (only if something changed) and notifies listeners.
 */
public interface TxnWrite extends TxnRead {

    /** Puts key = value with the lease (0: none); returns the main revision of the change. */
    long put(byte[] key, byte[] value, long lease);

    /** Deletes the live keys in range (same range rules as {@link #range}); returns how many. */
    long deleteRange(byte[] key, byte[] end);

    /** Records the applied raft entry; stored in the same backend commit as this txn's changes. */
    void setConsistentIndex(long index, long term);

    /** Ends the txn; returns the store revision after it. */
    long end();

    @Override
    default void close() {
        end();
    }
}
