package io.etcdj.server.mvcc;

/**
 * A read transaction: every range reads the store as of {@link #revision()} (unless the options name
 * an older revision). Never blocks the writer; safe on any thread, one thread at a time.
 */
public interface TxnRead extends AutoCloseable {

    /** The store revision this txn reads at (the header revision of its answers). */
    long revision();

    /**
     * Keys in {@code [key, end)}: {@code end} null or empty = just {@code key}; {@code end = {0}} =
     * every key ≥ key. Throws {@link CompactedException} or {@link FutureRevisionException} for a
     * revision the store cannot serve.
     */
    RangeResult range(byte[] key, byte[] end, RangeOptions options);

    /** Ends the txn. */
    @Override
    void close();
}
