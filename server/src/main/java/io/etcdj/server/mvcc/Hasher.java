package io.etcdj.server.mvcc;

import io.etcdj.server.storage.backend.ReadTxn;
import io.etcdj.server.storage.schema.Bucket;
import java.util.zip.CRC32C;

/**
 * etcd's HashKV: CRC-32C over "key" and then each (revision key, KeyValue bytes) of the key bucket
 * with revision < {hashRev + 1, 0}, skipping revisions ≤ compactRev that the compaction does not
 * keep. Hashing the logical KeyValue bytes (not our checksum frame) keeps the result comparable with
 * any member that stores the same history. Unlike etcd, leftovers of an unfinished compaction are
 * always skipped, so the hash does not depend on how far deletion has progressed.
 */
final class Hasher {
    private Hasher() {
    }

    static int hash(ReadTxn txn, long hashRev, long compactRev, RevisionSet keep) {
        CRC32C crc = new CRC32C();
        crc.update(Bucket.KEY.nameBytes());
        txn.forEach(Bucket.KEY, new byte[0], Revision.mainBound(hashRev + 1), (k, v) -> {
            Revision rev = Revision.fromBytes(k);
            if (rev.main() <= compactRev && !keep.contains(rev)) {
                return true;
            }
            crc.update(k);
            crc.update(v);
            return true;
        });
        return (int) crc.getValue();
    }
}
