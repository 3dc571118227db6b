package io.etcdj.server.mvcc;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * etcd's keyIndex — a key's generations of revisions — packed into one immutable {@code long[]}
 * so the index costs one array per key (the heap budget is etcd's ≈120 B/key + 30 B/version) and
 * readers never lock: a change builds a new array and swaps it into the tree.
 *
 * <p>Layout: {@code [G, gen_0, …, gen_{G-1}]}; a generation is {@code [ver, createdMain, createdSub,
 * n, main_0, sub_0, …, main_{n-1}, sub_{n-1}]}. A generation starts with a put (its created
 * revision) and ends with a tombstone, after which an empty generation ({@code n = 0}) is appended;
 * only the last generation may be empty. {@code ver} counts the generation's puts and tombstone,
 * and keeps counting after compaction trims its revisions, so a revision's version is
 * {@code ver - (revisions after it)}.
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

    private KeyIndex() {
    }

    /** A put at (main, sub): appends to the last generation, starting it if empty. */
    static long[] put(long[] ki, long main, long sub) {
        if (ki == null) {
            return new long[] {1, 1, main, sub, 1, main, sub};
        }
        int last = lastGenOffset(ki);
        Checks.check(ki.length <= 1 + GEN_HEADER || compareLastRev(ki, main, sub) < 0,
                "put at %d.%d not after the key's last revision", main, sub);
        long[] next = Arrays.copyOf(ki, ki.length + 2);
        if (next[last + 3] == 0) {
            next[last + 1] = main;
            next[last + 2] = sub;
        }
        next[last]++;
        next[last + 3]++;
        next[ki.length] = main;
        next[ki.length + 1] = sub;
        return next;
    }

    /** A delete at (main, sub): ends the live generation and opens an empty one. */
    static long[] tombstone(long[] ki, long main, long sub) {
        Checks.check(ki != null && ki[lastGenOffset(ki) + 3] > 0, "tombstone at %d.%d of a key that is not live",
                main, sub);
        long[] put = put(ki, main, sub);
        long[] next = Arrays.copyOf(put, put.length + GEN_HEADER);
        next[0]++;
        return next;
    }

    /** The index entry restored from a stored KeyValue whose earlier history is not (any more) stored. */
    static long[] restore(long createdMain, long modMain, long modSub, long version) {
        return new long[] {1, version, createdMain, 0, 1, modMain, modSub};
    }

    static boolean isEmpty(long[] ki) {
        return ki[0] == 1 && ki[1 + 3] == 0;
    }

    /**
     * The key's state at {@code atRev}: fills {@code out} and returns true when the key was live
     * then (its newest revision ≤ atRev is a put of a generation not yet ended by atRev).
     */
    static boolean get(long[] ki, long atRev, long[] out) {
        int genCount = (int) ki[0];
        int[] offsets = genOffsets(ki, genCount);
        for (int g = genCount - 1; g >= 0; g--) {
            int o = offsets[g];
            int n = (int) ki[o + 3];
            if (n == 0) {
                continue;
            }
            if (g != genCount - 1 && ki[revAt(o, n - 1)] <= atRev) {
                return false; // the generation holding atRev ended (tombstone) by atRev
            }
            if (ki[revAt(o, 0)] <= atRev) {
                for (int i = n - 1; i >= 0; i--) {
                    if (ki[revAt(o, i)] <= atRev) {
                        out[OUT_MOD_MAIN] = ki[revAt(o, i)];
                        out[OUT_MOD_SUB] = ki[revAt(o, i) + 1];
                        out[OUT_CREATED_MAIN] = ki[o + 1];
                        out[OUT_CREATED_SUB] = ki[o + 2];
                        out[OUT_VERSION] = ki[o] - (n - i - 1);
                        return true;
                    }
                }
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
        int n = ki.length;
        int last = lastGenOffset(ki);
        if (ki[last + 3] == 0) {
            // ended by a tombstone: it is the last pair before the empty generation
            return new Revision(ki[last - 2], ki[last - 1]);
        }
        return new Revision(ki[n - 2], ki[n - 1]);
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
        out[3] = n - from;
        System.arraycopy(g, GEN_HEADER + 2 * from, out, GEN_HEADER, 2 * (n - from));
        return out;
    }

    private static List<long[]> decode(long[] ki) {
        int genCount = (int) ki[0];
        List<long[]> gens = new ArrayList<>(genCount);
        int o = 1;
        for (int g = 0; g < genCount; g++) {
            int size = GEN_HEADER + 2 * (int) ki[o + 3];
            gens.add(Arrays.copyOfRange(ki, o, o + size));
            o += size;
        }
        return gens;
    }

    private static long[] encode(List<long[]> gens) {
        int size = 1;
        for (long[] g : gens) {
            size += g.length;
        }
        long[] out = new long[size];
        out[0] = gens.size();
        int o = 1;
        for (long[] g : gens) {
            System.arraycopy(g, 0, out, o, g.length);
            o += g.length;
        }
        return out;
    }

    private static int revAt(int genOffset, int i) {
        return genOffset + GEN_HEADER + 2 * i;
    }

    private static int[] genOffsets(long[] ki, int genCount) {
        int[] offsets = new int[genCount];
        int o = 1;
        for (int g = 0; g < genCount; g++) {
            offsets[g] = o;
            o += GEN_HEADER + 2 * (int) ki[o + 3];
        }
        return offsets;
    }

    private static int lastGenOffset(long[] ki) {
        int genCount = (int) ki[0];
        int o = 1;
        for (int g = 0; g < genCount - 1; g++) {
            o += GEN_HEADER + 2 * (int) ki[o + 3];
        }
        return o;
    }

    private static int compareLastRev(long[] ki, long main, long sub) {
        Revision last = modified(ki);
        int c = Long.compare(last.main(), main);
        return c != 0 ? c : Long.compare(last.sub(), sub);
    }
}
