package io.etcdj.tests.differential;

import com.google.protobuf.ByteString;
import com.google.protobuf.Message;
import io.etcdj.api.etcdserverpb.CompactionRequest;
import io.etcdj.api.etcdserverpb.DeleteRangeRequest;
import io.etcdj.api.etcdserverpb.PutRequest;
import io.etcdj.api.etcdserverpb.RangeRequest;
import io.etcdj.api.etcdserverpb.TxnRequest;
import java.util.SplittableRandom;

/**
 * Random KV requests from a seed. The generator follows the first target's answers (head and
 * compacted revision) so that revision arguments land in every interesting place: the past, the
 * head, below the compaction point, and the future. Same seed and same answers ⇒ same requests.
 */
final class KvRequestGenerator {

    private final SplittableRandom random;
    private final KeySpace keys;
    private final TxnGenerator txns;
    private long headRevision = 1;
    private long compactRevision;

    KvRequestGenerator(long seed) {
        this.random = new SplittableRandom(seed);
        this.keys = new KeySpace(random);
        this.txns = new TxnGenerator(random, keys, this);
    }

    Message next() {
        int kind = random.nextInt(100);
        if (kind < 30) {
            return put();
        } else if (kind < 60) {
            return range();
        } else if (kind < 70) {
            return deleteRange();
        } else if (kind < 95) {
            return txns.txn();
        }
        return compact();
    }

    /** Learns the store's head and compaction point from what the first target answered. */
    void observe(Message request, Outcome outcome) {
        if (outcome.isError()) {
            return;
        }
        // Every KV response carries a header whose revision is the store's head when answered.
        Message response = outcome.response();
        Message header = (Message) response.getField(response.getDescriptorForType().findFieldByName("header"));
        Object revision = header.getField(header.getDescriptorForType().findFieldByName("revision"));
        headRevision = Math.max(headRevision, (Long) revision);
        if (request instanceof CompactionRequest compaction) {
            compactRevision = Math.max(compactRevision, compaction.getRevision());
        }
    }

    long headRevision() {
        return headRevision;
    }

    long compactRevision() {
        return compactRevision;
    }

    PutRequest put() {
        PutRequest.Builder put = PutRequest.newBuilder()
                .setKey(random.nextInt(50) == 0 ? ByteString.EMPTY : keys.key())
                .setValue(keys.value())
                .setPrevKv(random.nextBoolean());
        if (random.nextInt(10) == 0) {
            // Mostly without a value (valid), sometimes with one (ErrValueProvided).
            put.setIgnoreValue(true);
            if (random.nextInt(4) != 0) {
                put.clearValue();
            }
        }
        if (random.nextInt(10) == 0) {
            put.setIgnoreLease(true);
        }
        if (random.nextInt(40) == 0) {
            // No lease was ever granted: "requested lease not found" (or ErrLeaseProvided with ignore_lease).
            put.setLease(1 + random.nextInt(1_000_000));
        }
        return put.build();
    }

    RangeRequest range() {
        ByteString[] range = keys.range();
        RangeRequest.Builder request = RangeRequest.newBuilder().setKey(range[0]).setRangeEnd(range[1]);
        if (random.nextInt(3) == 0) {
            request.setLimit(random.nextInt(5) == 0 ? -1 : 1 + random.nextInt(4));
        }
        request.setRevision(revision());
        if (random.nextInt(3) == 0) {
            // Unknown sort orders and targets are not generated: etcd 3.4.23 does not validate
            // them (an unknown target panics its apply loop) while later etcd answers "invalid
            // sort option", so the reference is no oracle there (docs/testing.md).
            request.setSortOrderValue(random.nextInt(3));
            request.setSortTargetValue(random.nextInt(5));
        }
        request.setSerializable(random.nextInt(4) == 0);
        request.setKeysOnly(random.nextInt(6) == 0);
        request.setCountOnly(random.nextInt(8) == 0);
        if (random.nextInt(6) == 0) {
            request.setMinModRevision(random.nextLong(headRevision + 2));
        }
        if (random.nextInt(6) == 0) {
            request.setMaxModRevision(random.nextLong(headRevision + 2));
        }
        if (random.nextInt(6) == 0) {
            request.setMinCreateRevision(random.nextLong(headRevision + 2));
        }
        if (random.nextInt(6) == 0) {
            request.setMaxCreateRevision(random.nextLong(headRevision + 2));
        }
        return request.build();
    }

    /** 0 (latest) half the time; otherwise the past, the head, compacted, future or negative. */
    private long revision() {
        int choice = random.nextInt(20);
        if (choice < 10) {
            return 0;
        } else if (choice < 15) {
            return compactRevision + 1 + random.nextLong(Math.max(1, headRevision - compactRevision));
        } else if (choice == 15) {
            return headRevision;
        } else if (choice == 16 && compactRevision > 1) {
            return 1 + random.nextLong(compactRevision - 1);
        } else if (choice == 17) {
            return headRevision + 1 + random.nextInt(3);
        } else if (choice == 18) {
            return -1 - random.nextInt(3);
        }
        return compactRevision;
    }

    DeleteRangeRequest deleteRange() {
        ByteString[] range = keys.range();
        return DeleteRangeRequest.newBuilder().setKey(range[0]).setRangeEnd(range[1])
                .setPrevKv(random.nextBoolean()).build();
    }

    CompactionRequest compact() {
        int choice = random.nextInt(10);
        long revision;
        if (choice < 6) {
            // A past revision above the current compaction point: a real compaction.
            revision = compactRevision + 1 + random.nextLong(Math.max(1, headRevision - compactRevision));
        } else if (choice < 8) {
            revision = Math.max(0, compactRevision - random.nextInt(2));
        } else {
            revision = headRevision + 1 + random.nextInt(5);
        }
        return CompactionRequest.newBuilder().setRevision(revision).setPhysical(random.nextInt(3) == 0).build();
    }

    /** A random transaction (the watch differential draws its writes one kind at a time). */
    TxnRequest txn() {
        return txns.txn();
    }

    /** The sweep after the random phase: the whole key space at one revision. */
    static RangeRequest everythingAt(long revision) {
        return RangeRequest.newBuilder().setKey(KeySpace.ZERO).setRangeEnd(KeySpace.ZERO).setRevision(revision).build();
    }
}
