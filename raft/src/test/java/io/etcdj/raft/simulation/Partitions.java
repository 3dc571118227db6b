package io.etcdj.raft.simulation;

import java.util.Collection;
import java.util.HashSet;
import java.util.Set;

/**
 * Which directed links of the simulated network are cut. A link is cut one way by
 * {@link #cutOneWay}; symmetric and partial partitions are compositions of one-way cuts, so a
 * message is lost exactly when its own direction is cut.
 */
final class Partitions {

    /** A directed link; {@code from} sends, {@code to} receives. */
    record Link(long from, long to) {
    }

    private final Set<Link> cut = new HashSet<>();

    boolean blocks(long from, long to) {
        return !cut.isEmpty() && cut.contains(new Link(from, to));
    }

    void cutOneWay(long from, long to) {
        if (from != to) {
            cut.add(new Link(from, to));
        }
    }

    void cutBoth(long a, long b) {
        cutOneWay(a, b);
        cutOneWay(b, a);
    }

    /** Symmetric partition of {@code node} from every other member of {@code all}. */
    void isolate(long node, Collection<Long> all) {
        for (long other : all) {
            cutBoth(node, other);
        }
    }

    /** Symmetric split: nothing crosses between {@code side} and the rest of {@code all}. */
    void split(Collection<Long> side, Collection<Long> all) {
        for (long a : side) {
            for (long b : all) {
                if (!side.contains(b)) {
                    cutBoth(a, b);
                }
            }
        }
    }

    void heal() {
        cut.clear();
    }

    boolean isHealed() {
        return cut.isEmpty();
    }

    int cutLinks() {
        return cut.size();
    }
}
