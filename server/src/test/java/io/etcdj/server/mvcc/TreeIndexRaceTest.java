package io.etcdj.server.mvcc;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/**
 * The index's appends in place racing the compactor and readers: a few hot keys take thousands of
 * puts and some deletes while the compactor compacts just behind the writer and readers read at
 * the newest published revision. No append may be lost to a compaction's swap, and every read must
 * match the history (value revision, created revision, version).
 */
class TreeIndexRaceTest {
    private static final int KEYS = 3;
    private static final int OPS = 60_000;
    /**
     * How far the writer may run ahead of the last finished compaction. The writer waits for the
     * compactor rather than trusting the scheduler to interleave them: on a loaded 2-core machine a
     * free-running writer can finish all its puts before the compactor thread is first scheduled,
     * and then nothing was raced at all.
     */
    private static final int MAX_LEAD = 400;
    private static final long TIME_LIMIT_NANOS = 30_000_000_000L;

    @Test
    void appendsSurviveConcurrentCompactionsAndReadsMatchTheHistory() throws Exception {
        History history = History.generate(OPS);
        TreeIndex index = new TreeIndex();
        AtomicLong published = new AtomicLong();
        AtomicLong compactedAt = new AtomicLong();
        AtomicLong compactingAt = new AtomicLong();
        AtomicLong compactions = new AtomicLong();
        AtomicLong reads = new AtomicLong();
        AtomicBoolean done = new AtomicBoolean();
        ConcurrentLinkedQueue<String> problems = new ConcurrentLinkedQueue<>();
        long deadline = System.nanoTime() + TIME_LIMIT_NANOS;

        Thread compactor = new Thread(() -> {
            while (!done.get() && System.nanoTime() < deadline) {
                long at = published.get() - 20;
                if (at > compactedAt.get()) {
                    compactingAt.set(at);
                    index.compact(at);
                    compactedAt.set(at);
                    compactions.incrementAndGet();
                } else {
                    Thread.yield();
                }
            }
        });
        Thread reader = new Thread(() -> {
            long[] out = new long[KeyIndex.OUT_SLOTS];
            while (!done.get() && System.nanoTime() < deadline) {
                long rev = published.get();
                for (int k = 0; k < KEYS; k++) {
                    boolean live = index.get(History.key(k), rev, out);
                    if (compactingAt.get() > rev) {
                        break; // compacted past rev during the read: the store refuses such reads
                    }
                    String problem = history.check(k, rev, live, out);
                    if (problem != null) {
                        problems.add("read at " + rev + ": " + problem);
                    }
                    reads.incrementAndGet();
                }
                Thread.yield();
            }
        });
        compactor.start();
        reader.start();
        for (int rev = 1; rev <= OPS && System.nanoTime() < deadline; rev++) {
            while (rev - compactedAt.get() > MAX_LEAD && System.nanoTime() < deadline) {
                Thread.yield();
            }
            Op op = history.ops.get(rev - 1);
            if (op.tombstone) {
                index.tombstone(History.key(op.key), new Revision(rev, 0));
            } else {
                index.put(History.key(op.key), new Revision(rev, 0));
            }
            published.set(rev);
        }
        done.set(true);
        compactor.join();
        reader.join();

        assertThat(published.get()).as("writer finished within the time limit").isEqualTo(OPS);
        assertThat(compactedAt.get()).as("compactions kept up with the writes").isGreaterThan(OPS - MAX_LEAD - 1);
        assertThat(compactions.get()).as("compactions interleaved with the writes").isGreaterThan(OPS / MAX_LEAD);
        assertThat(reads.get()).as("reads checked during the writes").isPositive();
        assertThat(problems).isEmpty();
        assertEveryRetainedRevisionMatches(history, index, compactedAt.get());
    }

    private static void assertEveryRetainedRevisionMatches(History history, TreeIndex index, long compactedAt) {
        long[] out = new long[KeyIndex.OUT_SLOTS];
        for (int k = 0; k < KEYS; k++) {
            for (long rev = compactedAt; rev <= OPS; rev++) {
                assertThat(history.check(k, rev, index.get(History.key(k), rev, out), out)).isNull();
            }
        }
    }

    @Test
    void aHotKeyIsAppendedInPlaceNotCopiedOnEveryPut() {
        TreeIndex index = new TreeIndex();
        byte[] key = History.key(0);
        int copies = 0;
        long[] before = null;
        for (int rev = 1; rev <= 10_000; rev++) {
            index.put(key, new Revision(rev, 0));
            long[] now = index.entry(key);
            if (now != before) {
                copies++;
                before = now;
            }
        }
        // Growing by half from 7 slots to 20,005 takes ~20 copies; copying on every put takes 10,000.
        assertThat(copies).isLessThan(40);
        long[] out = new long[KeyIndex.OUT_SLOTS];
        assertThat(index.get(key, 5_000, out)).isTrue();
        assertThat(out[KeyIndex.OUT_VERSION]).isEqualTo(5_000);
    }

    private record Op(int key, boolean tombstone) {
    }

    /** A fixed history of puts and deletes over {@link #KEYS} keys, one per revision from 1. */
    private static final class History {
        final List<Op> ops = new ArrayList<>();

        static byte[] key(int k) {
            return ("hot-" + k).getBytes(StandardCharsets.US_ASCII);
        }

        static History generate(int count) {
            History h = new History();
            boolean[] live = new boolean[KEYS];
            for (int rev = 1; rev <= count; rev++) {
                int k = rev % KEYS;
                boolean tombstone = live[k] && rev % 97 == 0;
                live[k] = !tombstone;
                h.ops.add(new Op(k, tombstone));
            }
            return h;
        }

        /** Null when the index's answer for key k at rev matches the history, else what differs. */
        String check(int k, long rev, boolean live, long[] out) {
            // Backwards from rev to the key's last delete: the live generation's puts.
            long lastPut = -1;
            long created = -1;
            long version = 0;
            for (int r = (int) rev; r >= 1; r--) {
                Op op = ops.get(r - 1);
                if (op.key != k) {
                    continue;
                }
                if (op.tombstone) {
                    break;
                }
                if (lastPut < 0) {
                    lastPut = r;
                }
                created = r;
                version++;
            }
            boolean expectLive = lastPut > 0;
            if (live != expectLive) {
                return "key " + k + " live=" + live + ", expected " + expectLive;
            }
            if (live && (out[KeyIndex.OUT_MOD_MAIN] != lastPut || out[KeyIndex.OUT_CREATED_MAIN] != created
                    || out[KeyIndex.OUT_VERSION] != version)) {
                return "key " + k + " mod/created/version " + out[KeyIndex.OUT_MOD_MAIN] + "/"
                        + out[KeyIndex.OUT_CREATED_MAIN] + "/" + out[KeyIndex.OUT_VERSION] + ", expected " + lastPut
                        + "/" + created + "/" + version;
            }
            return null;
        }
    }
}
