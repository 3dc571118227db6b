package io.etcdj.server.concurrency;

import com.google.protobuf.ByteString;
import io.etcdj.api.etcdserverpb.Compare;
import io.etcdj.api.etcdserverpb.DeleteRangeRequest;
import io.etcdj.api.etcdserverpb.PutRequest;
import io.etcdj.api.etcdserverpb.RangeRequest;
import io.etcdj.api.etcdserverpb.RequestOp;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;

/** The keys and requests the recipes are made of, spelled as clientv3's concurrency package does. */
final class Keys {
    private static final ByteString SEPARATOR = ByteString.copyFromUtf8("/");

    private Keys() {
    }

    /** The keys of lock or election {@code name} live under {@code name/}. */
    static ByteString prefix(ByteString name) {
        return name.concat(SEPARATOR);
    }

    /** A candidate's key: the prefix and its lease id as Go's {@code %x} prints an int64. */
    static ByteString candidate(ByteString prefix, long lease) {
        return prefix.concat(ByteString.copyFromUtf8(hex(lease)));
    }

    /** Go's {@code fmt.Sprintf("%x", int64)}: lowercase, no padding, a minus sign when negative. */
    static String hex(long value) {
        // -Long.MIN_VALUE overflows to itself, whose unsigned hex is the magnitude Go prints.
        return value < 0 ? "-" + Long.toHexString(-value) : Long.toHexString(value);
    }

    /** etcd's GetPrefixRangeEnd: the prefix with its last byte below 0xff incremented. */
    static ByteString prefixEnd(ByteString prefix) {
        byte[] end = prefix.toByteArray();
        for (int i = end.length - 1; i >= 0; i--) {
            if (end[i] != (byte) 0xff) {
                end[i]++;
                return ByteString.copyFrom(end, 0, i + 1);
            }
        }
        return ByteString.copyFrom(new byte[] {0}); // every byte 0xff: all keys from the prefix on
    }

    static Compare createRevisionIs(ByteString key, long revision) {
        return Compare.newBuilder().setKey(key).setTarget(Compare.CompareTarget.CREATE)
                .setResult(Compare.CompareResult.EQUAL).setCreateRevision(revision).build();
    }

    static RequestOp put(ByteString key, ByteString value, long lease) {
        return RequestOp.newBuilder().setRequestPut(PutRequest.newBuilder().setKey(key).setValue(value)
                .setLease(lease)).build();
    }

    static RequestOp get(ByteString key) {
        return RequestOp.newBuilder().setRequestRange(RangeRequest.newBuilder().setKey(key)).build();
    }

    static RequestOp get(RangeRequest range) {
        return RequestOp.newBuilder().setRequestRange(range).build();
    }

    static RequestOp delete(ByteString key) {
        return RequestOp.newBuilder().setRequestDeleteRange(DeleteRangeRequest.newBuilder().setKey(key)).build();
    }

    /** clientv3 {@code WithFirstCreate}: the key under the prefix created first (the holder). */
    static RangeRequest firstCreated(ByteString prefix) {
        return byCreate(prefix, RangeRequest.SortOrder.ASCEND).build();
    }

    /** clientv3 {@code WithLastCreate} and {@code WithMaxCreateRev}: the last key created at or before. */
    static RangeRequest lastCreatedAtOrBefore(ByteString prefix, long maxCreateRevision) {
        return byCreate(prefix, RangeRequest.SortOrder.DESCEND).setMaxCreateRevision(maxCreateRevision).build();
    }

    private static RangeRequest.Builder byCreate(ByteString prefix, RangeRequest.SortOrder order) {
        return RangeRequest.newBuilder().setKey(prefix).setRangeEnd(prefixEnd(prefix))
                .setSortTarget(RangeRequest.SortTarget.CREATE).setSortOrder(order).setLimit(1);
    }

    /** Waits for a step's answer; its failure is rethrown as it came (a gRPC status, mostly). */
    static <T> T await(CompletableFuture<T> step) throws InterruptedException {
        try {
            return step.get();
        } catch (ExecutionException e) {
            Throwable cause = RecipeErrors.unwrap(e);
            if (cause instanceof RuntimeException r) {
                throw r;
            }
            throw RecipeErrors.toStatus(cause);
        }
    }
}
