package io.etcdj.server.v3rpc;

/**
 * The request limits the KV service enforces (etcd's {@code --max-txn-ops} and
 * {@code --max-request-bytes}).
 *
 * @param maxTxnOps       most ops in one of a Txn's compare/success/failure lists; nested txns
 *                        share what is left of the budget
 * @param maxRequestBytes largest write request, measured as etcd measures its raft proposal
 */
public record KvLimits(int maxTxnOps, long maxRequestBytes) {
    public static final int DEFAULT_MAX_TXN_OPS = 128;
    /** 1.5 MiB, etcd's default. */
    public static final long DEFAULT_MAX_REQUEST_BYTES = 1536L * 1024;

    public static final KvLimits DEFAULTS = new KvLimits(DEFAULT_MAX_TXN_OPS, DEFAULT_MAX_REQUEST_BYTES);

    public KvLimits {
        if (maxTxnOps <= 0) {
            throw new IllegalArgumentException("maxTxnOps must be positive, got " + maxTxnOps);
        }
        if (maxRequestBytes <= 0) {
            throw new IllegalArgumentException("maxRequestBytes must be positive, got " + maxRequestBytes);
        }
    }
}
