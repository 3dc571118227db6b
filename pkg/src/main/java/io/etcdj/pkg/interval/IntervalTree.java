package io.etcdj.pkg.interval;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.Consumer;

/**
 * Intervals {@code [low, high)} of unsigned byte strings, each carrying values, in a treap ordered
 * by (low, high) and augmented with the largest high of every subtree, so a stabbing query skips
 * every subtree that ends at or before the point. Priorities come from a fixed mixing of an
 * insertion counter: the shape is a deterministic function of the operations, with expected
 * O(log n) depth. Not thread-safe.
 */
public final class IntervalTree<V> {
    private Node<V> root;
    private int intervals;
    private long insertions;

    private static final class Node<V> {
        final byte[] low;
        /** Null: unbounded. */
        final byte[] high;
        final int priority;
        final List<V> values = new ArrayList<>(1);
        Node<V> left;
        Node<V> right;
        /** Largest high in this subtree; null when some interval in it is unbounded. */
        byte[] maxHigh;

        Node(byte[] low, byte[] high, int priority) {
            this.low = low;
            this.high = high;
            this.priority = priority;
        }
    }

    /** Adds {@code value} on {@code [low, high)}; {@code high} null = unbounded, else high &gt; low. */
    public void insert(byte[] low, byte[] high, V value) {
        if (high != null && Arrays.compareUnsigned(low, high) >= 0) {
            throw new IllegalArgumentException("empty interval");
        }
        Node<V> existing = find(low, high);
        if (existing != null) {
            existing.values.add(value);
            return;
        }
        Node<V> node = new Node<>(low.clone(), high == null ? null : high.clone(), mix(insertions++));
        node.values.add(value);
        node.maxHigh = node.high;
        Node<V>[] parts = split(root, low, high);
        root = merge(merge(parts[0], node), parts[1]);
        intervals++;
    }

    /** Removes one {@code value} from {@code [low, high)}; returns whether it was there. */
    public boolean delete(byte[] low, byte[] high, V value) {
        Node<V> node = find(low, high);
        if (node == null || !node.values.remove(value)) {
            return false;
        }
        if (node.values.isEmpty()) {
            root = remove(root, low, high);
            intervals--;
        }
        return true;
    }

    /** Every value whose interval holds {@code point}. */
    public void stab(byte[] point, Consumer<V> out) {
        stab(root, point, out);
    }

    /** Every value, in interval order. */
    public void forEach(Consumer<V> out) {
        walk(root, out);
    }

    /** Number of distinct intervals. */
    public int size() {
        return intervals;
    }

    private static <V> void stab(Node<V> n, byte[] point, Consumer<V> out) {
        if (n == null || (n.maxHigh != null && Arrays.compareUnsigned(n.maxHigh, point) <= 0)) {
            return; // everything below ends at or before the point
        }
        stab(n.left, point, out);
        if (Arrays.compareUnsigned(n.low, point) > 0) {
            return; // this interval and the whole right subtree start after the point
        }
        if (n.high == null || Arrays.compareUnsigned(point, n.high) < 0) {
            n.values.forEach(out);
        }
        stab(n.right, point, out);
    }

    private static <V> void walk(Node<V> n, Consumer<V> out) {
        if (n != null) {
            walk(n.left, out);
            n.values.forEach(out);
            walk(n.right, out);
        }
    }

    private Node<V> find(byte[] low, byte[] high) {
        Node<V> n = root;
        while (n != null) {
            int c = compare(low, high, n.low, n.high);
            if (c == 0) {
                return n;
            }
            n = c < 0 ? n.left : n.right;
        }
        return null;
    }

    /** Splits into keys below (low, high) and keys at or above it. */
    @SuppressWarnings("unchecked")
    private static <V> Node<V>[] split(Node<V> n, byte[] low, byte[] high) {
        if (n == null) {
            return new Node[] {null, null};
        }
        if (compare(n.low, n.high, low, high) < 0) {
            Node<V>[] parts = split(n.right, low, high);
            n.right = parts[0];
            update(n);
            return new Node[] {n, parts[1]};
        }
        Node<V>[] parts = split(n.left, low, high);
        n.left = parts[1];
        update(n);
        return new Node[] {parts[0], n};
    }

    /** Joins two treaps where every key of {@code a} is below every key of {@code b}. */
    private static <V> Node<V> merge(Node<V> a, Node<V> b) {
        if (a == null) {
            return b;
        }
        if (b == null) {
            return a;
        }
        if (a.priority >= b.priority) {
            a.right = merge(a.right, b);
            update(a);
            return a;
        }
        b.left = merge(a, b.left);
        update(b);
        return b;
    }

    private static <V> Node<V> remove(Node<V> n, byte[] low, byte[] high) {
        int c = compare(low, high, n.low, n.high);
        if (c == 0) {
            return merge(n.left, n.right);
        }
        if (c < 0) {
            n.left = remove(n.left, low, high);
        } else {
            n.right = remove(n.right, low, high);
        }
        update(n);
        return n;
    }

    private static <V> void update(Node<V> n) {
        byte[] max = n.high;
        max = maxHigh(max, n.left);
        max = maxHigh(max, n.right);
        n.maxHigh = max;
    }

    private static <V> byte[] maxHigh(byte[] current, Node<V> child) {
        if (child == null) {
            return current;
        }
        if (current == null || child.maxHigh == null) {
            return null;
        }
        return Arrays.compareUnsigned(current, child.maxHigh) >= 0 ? current : child.maxHigh;
    }

    /** Orders by low, then high, an unbounded high last. */
    private static int compare(byte[] lowA, byte[] highA, byte[] lowB, byte[] highB) {
        int c = Arrays.compareUnsigned(lowA, lowB);
        if (c != 0) {
            return c;
        }
        if (highA == null || highB == null) {
            return highA == null ? (highB == null ? 0 : 1) : -1;
        }
        return Arrays.compareUnsigned(highA, highB);
    }

    /** A fixed bit mixer (SplitMix64's finaliser) turning the insertion count into a priority. */
    private static int mix(long counter) {
        long z = counter * 0x9E3779B97F4A7C15L;
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return (int) (z ^ (z >>> 31));
    }
}
