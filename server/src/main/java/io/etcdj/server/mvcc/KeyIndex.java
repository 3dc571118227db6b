package io.etcdj.server.mvcc;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * etcd's keyIndex — a key's generations of revisions — packed into one {@code long[]} so the index
 * costs one array per key (the heap budget is etcd's ≈120 B/key + 30 B/version) and readers never
 * lock.
 *
 * <p>Layout: {@code [used, gen_0, …, gen_{G-1}, spare…]}; a generation is {@code [verBase,
 * createdMain, createdSub, n, main_0, sub_0, …, main_{n-1}, sub_{n-1}]}. A generation starts with a
 * put (its created revision) and ends with a tombstone, after which an empty generation ({@code n =
 * 0}) is appended; only the last generation may be empty. A revision's version is {@code verBase +
 * i + 1}: {@code verBase} is fixed when the generation starts and grows only when compaction trims
 * the generation's oldest revisions, so versions keep counting.
 *
 * <p><b>Appends in place.</b> A put appends to the array when it has spare room, and only a full
 * array is copied (grown by half). Copying on every put, as this index once did, made each put
 * cost the key's whole history: after 45,000 puts to one key (etcd's benchmark puts one key) a put
 * copied 720 KB, and throughput fell to 0.55x etcd's. Slot 0, {@code used}, publishes an append: the
 * apply thread writes the new slots, then moves {@code used} by compare-and-set; readers read
 * {@code used} once (acquire) and never look past it. Everything below {@code used} is final except
 * the last generation's {@code n} (and {@code created} of an empty one), which an append writes
 * before publishing: a reader may see that {@code n} ahead of its {@code used}, so the last
 * generation's length is always taken from {@code used} ({@link #genEnd}).
 *
 * <p><b>Sealing.</b> The compactor replaces an array by compare-and-set on the tree, which cannot
 * see an append in place (same reference). So it first seals the array — {@code used} turns
 * negative by compare-and-set, which an append's compare-and-set then fails — and a sealed array is
 * never written again: the apply thread copies it instead and the tree's compare-and-set decides.
 */
final class KeyIndex {
    static final int GEN_HEADER = 4;
    /** Slots of {@link #get}'s output. */
    static final int OUT_MOD_MAIN = 0;
    static final int OUT_MOD_SUB = 1;
    static final int OUT_CREATED_MAIN = 2;
    static final int OUT_CREATED_SUB = 3;
    static final int OUT_VERSION = 4;
    static final int OUT_SLOTS = 5;
    /** {@link #compact}'s kept[0] when no revision ≤ atRev stays. */
    static final long NONE_KEPT = -1;

    private static final int USED = 0;
    private static final int FIRST_GEN = 1;
    private static final VarHandle SLOT = MethodHandles.arrayElementVarHandle(long[].class);

    private KeyIndex() {
    }

    /** A key's first put at (main, sub). */
    static long[] create(long main, long sub) {
        return new long[] {7, 0, main, sub, 1, main, sub};
    }

    /** A put at (main, sub) as a new array, the array given left alone (tests build histories so). */
    static long[] put(long[] ki, long main, long sub) {
        return ki == null ? create(main, sub) : appended(ki, main, sub, false);
    }

    /** A delete at (main, sub) as a new array: ends the live generation and opens an empty one (tests). */
    static long[] tombstone(long[] ki, long main, long sub) {
        Checks.check(ki != null, "tombstone at %d.%d of a key that is not live", main, sub);
        return appended(ki, main, sub, true);
    }

    /**
     * Appends a put (or a tombstone) in place when the array has room and is not sealed; false
     * when it must be copied instead ({@link #appended}). Only the apply thread appends.
     */
    static boolean appendInPlace(long[] ki, long main, long sub, boolean tombstone) {
        long raw = (long) SLOT.getAcquire(ki, USED);
        if (raw < 0) {
            return false;
        }
        int used = (int) raw;
        int last = lastGenOffset(ki, used);
        int n = (used - last - GEN_HEADER) / 2;
        checkAppend(ki, last, n, main, sub, tombstone);
        int after = used + 2 + (tombstone ? GEN_HEADER : 0);
        if (after > ki.length) {
            return false;
        }
        writeAppend(ki, last, n, used, main, sub, tombstone);
        return SLOT.compareAndSet(ki, USED, raw, (long) after);
    }

    /** A copy of {@code ki} (sealed or not) with the put or tombstone appended and room to grow. */
    static long[] appended(long[] ki, long main, long sub, boolean tombstone) {
        int used = used(ki);
        long[] next = Arrays.copyOf(ki, Math.max(used + 2 + GEN_HEADER, used + used / 2));
        next[USED] = used; // the copy is not sealed, has room and is nobody else's: the append fits
        Checks.check(appendInPlace(next, main, sub, tombstone), "append at %d.%d to a fresh copy", main, sub);
        return next;
    }

    /**
     * Seals {@code ki} against appends in place (for a compare-and-set replacement); false when an
     * append moved {@code used} meanwhile and the caller should look again.
     */
    static boolean seal(long[] ki) {
        long raw = (long) SLOT.getAcquire(ki, USED);
        return raw < 0 || SLOT.compareAndSet(ki, USED, raw, -raw);
    }

    private static void checkAppend(long[] ki, int last, int n, long main, long sub, boolean tombstone) {
        Checks.check(!tombstone || n > 0, "tombstone at %d.%d of a key that is not live", main, sub);
        Checks.check(compareLastRev(ki, last, n, main, sub) < 0, "put at %d.%d not after the key's last revision",
                main, sub);
    }

    private static void writeAppend(long[] ki, int last, int n, int used, long main, long sub, boolean tombstone) {
        ki[used] = main;
        ki[used + 1] = sub;
        if (n == 0) {
            ki[last + 1] = main;
            ki[last + 2] = sub;
        }
        ki[last + 3] = n + 1;
        if (tombstone) {
            ki[used + 2] = 0;
            ki[used + 3] = 0;
            ki[used + 4] = 0;
            ki[used + 5] = 0;
        }
    }

    /** The index entry restored from a stored KeyValue whose earlier history is not (any more) stored. */
    static long[] restore(long createdMain, long modMain, long modSub, long version) {
        return new long[] {7, version - 1, createdMain, 0, 1, modMain, modSub};
    }

    static boolean isEmpty(long[] ki) {
        int used = used(ki);
        return used == FIRST_GEN + GEN_HEADER;
    }

    /**
     * The key's state at {@code atRev}: fills {@code out} and returns true when the key was live
     * then (its newest revision ≤ atRev is a put of a generation not yet ended by atRev).
     */
    static boolean get(long[] ki, long atRev, long[] out) {
        int used = used(ki);
        // Newest generation first: find the last one whose first revision is ≤ atRev.
        int found = -1;
        for (int o = FIRST_GEN; o < used; o = genEnd(ki, o, used)) {
            int n = genLength(ki, o, used);
            if (n > 0 && ki[revAt(o, 0)] <= atRev) {
                found = o;
            } else {
                break; // generations are in revision order: none later starts by atRev either
            }
        }
        if (found < 0) {
            return false;
        }
        int n = genLength(ki, found, used);
        boolean lastGen = genEnd(ki, found, used) >= used;
        if (!lastGen && ki[revAt(found, n - 1)] <= atRev) {
            return false; // the generation holding atRev ended (tombstone) by atRev
        }
        for (int i = n - 1; i >= 0; i--) {
            if (ki[revAt(found, i)] <= atRev) {
                out[OUT_MOD_MAIN] = ki[revAt(found, i)];
                out[OUT_MOD_SUB] = ki[revAt(found, i) + 1];
                out[OUT_CREATED_MAIN] = ki[found + 1];
                out[OUT_CREATED_SUB] = ki[found + 2];
                out[OUT_VERSION] = ki[found] + i + 1;
                return true;
            }
        }
        return false;
    }

    /**
     * etcd's keyIndex.compact: drops revisions not visible at any revision ≥ atRev, reporting in
     * {@code kept} ({main, sub}, or {@link #NONE_KEPT}) the revision ≤ atRev that stays visible.
     * Returns the compacted entry, or null when nothing is left.
     */
    static long[] compact(long[] ki, long atRev, long[] kept) {
        kept[0] = NONE_KEPT;
        if (isEmpty(ki)) {
            return null;
        }
        List<long[]> gens = decode(ki);
        int[] found = doCompact(gens, atRev, kept);
        int genIdx = found[0];
        long[] g = gens.get(genIdx);
        if (found[1] > 0) {
            g = trim(g, found[1]);
            gens.set(genIdx, g);
        }
        // A generation before the last is only chosen when its tombstone is after atRev, so it
        // keeps at least the visible revision and the tombstone.
        Checks.check(genIdx == gens.size() - 1 || g[3] >= 2, "compacted generation of %d revisions", g[3]);
        List<long[]> remaining = gens.subList(genIdx, gens.size());
        long[] out = encode(remaining);
        return isEmpty(out) ? null : out;
    }

    /** etcd's keyIndex.keep: what {@link #compact} would leave available, without changing anything. */
    static void keep(long[] ki, long atRev, RevisionSet available) {
        if (!isEmpty(ki)) {
            long[] kept = {NONE_KEPT, 0};
            doCompact(decode(ki), atRev, kept);
            if (kept[0] != NONE_KEPT) {
                available.add(kept[0], kept[1]);
            }
        }
    }

    /** The newest revision of the key (its last put or tombstone). */
    static Revision modified(long[] ki) {
        int used = used(ki);
        int last = lastGenOffset(ki, used);
        int n = (used - last - GEN_HEADER) / 2;
        return n == 0
                ? new Revision(ki[last - 2], ki[last - 1]) // ended by a tombstone: the pair before the empty generation
                : new Revision(ki[used - 2], ki[used - 1]);
    }

    /**
     * [generation index, revision index or -1]: etcd's doCompact. Generations whose tombstone is
     * at or before atRev are invisible from atRev on and are skipped whole. (etcd stops at a
     * tombstone equal to atRev and drops it afterwards; that differs only when a key has several
     * generations within one main revision — which etcd's API forbids and etcd's own code then
     * gets wrong — and there this rule keeps the right revision.)
     */
    private static int[] doCompact(List<long[]> gens, long atRev, long[] kept) {
        int genIdx = 0;
        while (genIdx < gens.size() - 1) {
            long[] g = gens.get(genIdx);
            long tombMain = g[GEN_HEADER + 2 * ((int) g[3] - 1)];
            if (tombMain > atRev) {
                break;
            }
            genIdx++;
        }
        long[] g = gens.get(genIdx);
        for (int i = (int) g[3] - 1; i >= 0; i--) {
            long main = g[GEN_HEADER + 2 * i];
            if (main <= atRev) {
                kept[0] = main;
                kept[1] = g[GEN_HEADER + 2 * i + 1];
                return new int[] {genIdx, i};
            }
        }
        return new int[] {genIdx, -1};
    }

    private static long[] trim(long[] g, int from) {
        int n = (int) g[3];
        long[] out = new long[GEN_HEADER + 2 * (n - from)];
        System.arraycopy(g, 0, out, 0, GEN_HEADER);
        out[0] = g[0] + from; // the trimmed revisions' versions still count
        out[3] = n - from;
        System.arraycopy(g, GEN_HEADER + 2 * from, out, GEN_HEADER, 2 * (n - from));
        return out;
    }

    /** The generations below {@code used}, each {@code [verBase, createdMain, createdSub, n, revisions…]}. */
    private static List<long[]> decode(long[] ki) {
        int used = used(ki);
        List<long[]> gens = new ArrayList<>(2);
        for (int o = FIRST_GEN; o < used; o = genEnd(ki, o, used)) {
            int n = genLength(ki, o, used);
            long[] g = Arrays.copyOfRange(ki, o, o + GEN_HEADER + 2 * n);
            g[3] = n;
            gens.add(g);
        }
        return gens;
    }

    private static long[] encode(List<long[]> gens) {
        int size = FIRST_GEN;
        for (long[] g : gens) {
            size += g.length;
        }
        long[] out = new long[size];
        out[USED] = size;
        int o = FIRST_GEN;
        for (long[] g : gens) {
            System.arraycopy(g, 0, out, o, g.length);
            o += g.length;
        }
        return out;
    }

    /** Slots in use: what readers may look at (positive even while sealed). */
    private static int used(long[] ki) {
        long raw = (long) SLOT.getAcquire(ki, USED);
        return (int) Math.abs(raw);
    }

    /**
     * Where the generation at {@code o} ends. Its stored {@code n} is final unless it is the last
     * generation, where an append may have moved it past {@code used}: then it ends at {@code used}.
     */
    private static int genEnd(long[] ki, int o, int used) {
        return Math.min(used, o + GEN_HEADER + 2 * (int) ki[o + 3]);
    }

    private static int genLength(long[] ki, int o, int used) {
        return (genEnd(ki, o, used) - o - GEN_HEADER) / 2;
    }

    private static int revAt(int genOffset, int i) {
        return genOffset + GEN_HEADER + 2 * i;
    }

    private static int lastGenOffset(long[] ki, int used) {
        int o = FIRST_GEN;
        while (true) {
            int end = genEnd(ki, o, used);
            if (end >= used) {
                return o;
            }
            o = end;
        }
    }

    private static int compareLastRev(long[] ki, int last, int n, long main, long sub) {
        long lastMain;
        long lastSub;
        if (n > 0) {
            lastMain = ki[revAt(last, n - 1)];
            lastSub = ki[revAt(last, n - 1) + 1];
        } else if (last > FIRST_GEN) {
            lastMain = ki[last - 2];
            lastSub = ki[last - 1];
        } else {
            return -1; // nothing before: an entry of one empty generation
        }
        int c = Long.compare(lastMain, main);
        return c != 0 ? c : Long.compare(lastSub, sub);
    }
}
