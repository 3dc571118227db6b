package io.etcdj.server.storage.schema;

import java.nio.charset.StandardCharsets;

/**
 * etcd's bbolt buckets; each is one LMDB named database. The order is the ordinal used in memory
 * only (never persisted), so adding a bucket at the end is compatible.
 */
public enum Bucket {
    /** MVCC history: revision bytes → mvccpb.KeyValue. */
    KEY("key"),
    /** Bookkeeping: consistent index, term, compaction revisions, conf state, storage version. */
    META("meta"),
    LEASE("lease"),
    AUTH("auth"),
    AUTH_USERS("authUsers"),
    AUTH_ROLES("authRoles"),
    MEMBERS("members"),
    MEMBERS_REMOVED("members_removed"),
    ALARM("alarm"),
    CLUSTER("cluster");

    private final String bucketName;

    Bucket(String bucketName) {
        this.bucketName = bucketName;
    }

    /** The bucket's name exactly as etcd spells it; also the LMDB database name. */
    public String bucketName() {
        return bucketName;
    }

    /** The name as bytes, for hashing the bucket like etcd's HashKV does ("key" first). */
    public byte[] nameBytes() {
        return bucketName.getBytes(StandardCharsets.US_ASCII);
    }
}
