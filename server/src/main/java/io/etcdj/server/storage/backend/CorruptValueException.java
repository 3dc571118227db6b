package io.etcdj.server.storage.backend;

import java.util.HexFormat;

/**
 * A stored value failed its CRC-32C check: the db file was damaged on disk. The server must stop
 * serving from this backend (etcd's CORRUPT alarm) instead of returning the bytes.
 */
public final class CorruptValueException extends RuntimeException {
    private final String bucket;
    private final byte[] key;

    CorruptValueException(String bucket, byte[] key, String detail) {
        super("backend: corrupt value in bucket '" + bucket + "' at key " + HexFormat.of().formatHex(key)
                + ": " + detail);
        this.bucket = bucket;
        this.key = key.clone();
    }

    public String bucket() {
        return bucket;
    }

    public byte[] key() {
        return key.clone();
    }
}
