package io.etcdj.server.concurrency;

import com.google.protobuf.ByteString;
import io.etcdj.api.etcdserverpb.DeleteRangeRequest;
import io.etcdj.api.etcdserverpb.ResponseHeader;
import io.etcdj.api.etcdserverpb.TxnRequest;
import io.etcdj.api.etcdserverpb.TxnResponse;
import io.etcdj.api.mvccpb.KeyValue;
import io.etcdj.api.v3lockpb.LockRequest;
import io.etcdj.api.v3lockpb.LockResponse;
import io.etcdj.api.v3lockpb.UnlockRequest;
import io.etcdj.api.v3lockpb.UnlockResponse;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * etcd's distributed lock (clientv3 {@code concurrency.Mutex} behind v3lock). The lock is held by
 * the key under {@code name/} with the lowest create revision; the answer's key exists exactly as
 * long as the lock is held, and the header revision only grows from one holder to the next, so it
 * serves as a fencing token.
 */
final class Mutex {
    private static final Logger log = LoggerFactory.getLogger(Mutex.class);

    private final LocalClient client;

    Mutex(LocalClient client) {
        this.client = client;
    }

    /** Blocks (its own thread) until the caller holds the lock; an interrupt means the caller left. */
    LockResponse lock(LockRequest request) throws InterruptedException {
        long lease = Sessions.lease(client, request.getLease());
        ByteString prefix = Keys.prefix(request.getName());
        ByteString key = Keys.candidate(prefix, lease);
        // Join the line (or find our key from an earlier call under the same lease) and see who
        // holds the lock, in one txn.
        TxnRequest join = TxnRequest.newBuilder()
                .addCompare(Keys.createRevisionIs(key, 0))
                .addSuccess(Keys.put(key, ByteString.EMPTY, lease))
                .addSuccess(Keys.get(Keys.firstCreated(prefix)))
                .addFailure(Keys.get(key))
                .addFailure(Keys.get(Keys.firstCreated(prefix)))
                .build();
        CompletableFuture<TxnResponse> joining = client.txn(join);
        TxnResponse joined;
        try {
            joined = Keys.await(joining);
        } catch (InterruptedException e) {
            // The caller left while the txn was in flight: take back a key it created.
            joining.thenAccept(t -> {
                if (t.getSucceeded()) {
                    release(key);
                }
            });
            throw e;
        }
        long ownRevision = joined.getSucceeded()
                ? joined.getHeader().getRevision()
                : joined.getResponses(0).getResponseRange().getKvs(0).getCreateRevision();
        List<KeyValue> holder = joined.getResponses(1).getResponseRange().getKvsList();
        if (holder.isEmpty() || holder.get(0).getCreateRevision() == ownRevision) {
            return answer(joined.getHeader(), key);
        }
        try {
            return answer(Turn.await(client, prefix, key, ownRevision), key);
        } catch (Turn.KeyLostException e) {
            throw RecipeErrors.failure(RecipeErrors.SESSION_EXPIRED);
        } catch (InterruptedException | RuntimeException e) {
            release(key); // etcd's recipe unlocks when its wait fails, cancelled or not
            throw e;
        }
    }

    /** Deletes the key Lock answered; a key that is already gone is no error (etcd's plain delete). */
    UnlockResponse unlock(UnlockRequest request) throws InterruptedException {
        ResponseHeader header = Keys.await(client.deleteRange(
                DeleteRangeRequest.newBuilder().setKey(request.getKey()).build())).getHeader();
        return UnlockResponse.newBuilder().setHeader(header).build();
    }

    private static LockResponse answer(ResponseHeader header, ByteString key) {
        return LockResponse.newBuilder().setHeader(header).setKey(key).build();
    }

    /** Fire and forget: the call that owned the key has already ended. */
    private void release(ByteString key) {
        client.deleteRange(DeleteRangeRequest.newBuilder().setKey(key).build()).whenComplete((r, error) -> {
            if (error != null) {
                log.atWarn().addKeyValue("key", key.toStringUtf8())
                        .log("could not delete the key of an abandoned lock wait: {}", error.getMessage());
            }
        });
    }
}
