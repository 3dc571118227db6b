package io.etcdj.server.concurrency;

import com.google.protobuf.ByteString;
import io.etcdj.api.etcdserverpb.ResponseHeader;
import io.etcdj.api.etcdserverpb.TxnRequest;
import io.etcdj.api.etcdserverpb.TxnResponse;
import io.etcdj.api.etcdserverpb.WatchCreateRequest;
import io.etcdj.api.mvccpb.KeyValue;
import java.util.List;

/**
 * Waiting in line under a prefix (clientv3's {@code waitDeletes}): a candidate whose key was
 * created at {@code ownRevision} holds the lock (leads the election) once every key under the
 * prefix created before it is gone. It watches only the key just ahead of it, so one release wakes
 * one waiter, not the whole line.
 *
 * <p>Unlike etcd's recipe, which notices a lost key only after the line ahead has cleared, the
 * waiter also watches its own key and stops as soon as that key is deleted: its lease expired or
 * was revoked, or someone deleted the key. Holding on would only keep a thread and a watch for a
 * turn that can no longer come.
 */
final class Turn {
    private static final long AHEAD_WATCH_ID = 1;
    private static final long OWN_WATCH_ID = 2;

    private Turn() {
    }

    /** The waiter's own key was deleted while it waited. */
    static final class KeyLostException extends Exception {
        KeyLostException(ByteString key) {
            super("key " + key.toStringUtf8() + " was deleted while waiting");
        }
    }

    /**
     * Waits until no key under {@code prefix} created before {@code ownRevision} remains and
     * answers the header of the read that saw it, or fails if {@code ownKey} goes first.
     */
    static ResponseHeader await(LocalClient client, ByteString prefix, ByteString ownKey, long ownRevision)
            throws InterruptedException, KeyLostException {
        TxnRequest look = TxnRequest.newBuilder()
                .addSuccess(Keys.get(ownKey))
                .addSuccess(Keys.get(Keys.lastCreatedAtOrBefore(prefix, ownRevision - 1)))
                .build();
        while (true) {
            // One read-only txn: a linearizable read of both keys at one revision.
            TxnResponse seen = Keys.await(client.txn(look));
            if (seen.getResponses(0).getResponseRange().getKvsCount() == 0) {
                throw new KeyLostException(ownKey);
            }
            List<KeyValue> ahead = seen.getResponses(1).getResponseRange().getKvsList();
            if (ahead.isEmpty()) {
                return seen.getHeader();
            }
            long after = seen.getHeader().getRevision() + 1;
            try (KeyWatch watch = KeyWatch.open(client)) {
                watch.watch(AHEAD_WATCH_ID, ahead.get(0).getKey(), ByteString.EMPTY, after,
                        WatchCreateRequest.FilterType.NOPUT);
                watch.watch(OWN_WATCH_ID, ownKey, ByteString.EMPTY, after, WatchCreateRequest.FilterType.NOPUT);
                watch.next(); // a deletion of either key, or a compacted start: read again
            }
        }
    }
}
