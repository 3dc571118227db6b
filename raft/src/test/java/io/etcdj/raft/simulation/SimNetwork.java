package io.etcdj.raft.simulation;

import java.util.ArrayList;
import java.util.List;
import java.util.PriorityQueue;
import java.util.SplittableRandom;
import java.util.function.Consumer;

/**
 * The simulated network: messages in flight ordered by a delivery tick and a random tie-break
 * drawn at send time, so both a random delay and the tie-break reorder them. Loss and duplication
 * are drawn per message; a cut link drops a message both when it is sent and when it would be
 * delivered (a partition that starts while a message is in flight loses it, as a real cut does).
 *
 * @param <M> the message type; the network only needs its endpoints
 */
final class SimNetwork<M> {

    /** One copy of a message on its way. */
    record InFlight<M>(long deliverAt, long order, long from, long to, M message) {
    }

    /** Per-seed fault rates of the network. Probabilities in [0, 1], delay in ticks. */
    record Faults(double dropRate, double duplicateRate, int maxDelayTicks) {
        static final Faults NONE = new Faults(0, 0, 0);
    }

    private final SplittableRandom random;
    private final Partitions partitions = new Partitions();
    private final PriorityQueue<InFlight<M>> inFlight = new PriorityQueue<>(
            (a, b) -> a.deliverAt != b.deliverAt
                    ? Long.compare(a.deliverAt, b.deliverAt)
                    : Long.compare(a.order, b.order));
    private Faults faults = Faults.NONE;
    private Consumer<InFlight<M>> lossListener = lost -> { };
    private long sent;
    private long dropped;
    private long duplicated;

    SimNetwork(SplittableRandom random) {
        this.random = random;
    }

    Partitions partitions() {
        return partitions;
    }

    /** Told of every message lost to a fault (not of duplicates); the harness reports lost snapshots. */
    void setLossListener(Consumer<InFlight<M>> listener) {
        this.lossListener = listener;
    }

    void setFaults(Faults faults) {
        this.faults = faults;
    }

    Faults faults() {
        return faults;
    }

    void send(long from, long to, M message, long now) {
        sent++;
        if (partitions.blocks(from, to) || chance(faults.dropRate())) {
            dropped++;
            lossListener.accept(new InFlight<>(now, 0, from, to, message));
            return;
        }
        enqueue(from, to, message, now);
        if (chance(faults.duplicateRate())) {
            duplicated++;
            enqueue(from, to, message, now);
        }
    }

    /** Puts a message on the wire with no fault drawn: the harness's own forged deliveries. */
    void inject(long from, long to, M message, long now) {
        enqueue(from, to, message, now);
    }

    /** Removes and returns the next message due at {@code now} whose link is not cut, or null. */
    InFlight<M> pollDue(long now) {
        while (!inFlight.isEmpty() && inFlight.peek().deliverAt() <= now) {
            InFlight<M> next = inFlight.poll();
            if (!partitions.blocks(next.from(), next.to())) {
                return next;
            }
            dropped++;
            lossListener.accept(next);
        }
        return null;
    }

    boolean hasDue(long now) {
        return !inFlight.isEmpty() && inFlight.peek().deliverAt() <= now;
    }

    int inFlightCount() {
        return inFlight.size();
    }

    /** Loses every message in flight, e.g. when the harness wants a clean start for a phase. */
    List<InFlight<M>> drain() {
        List<InFlight<M>> all = new ArrayList<>(inFlight);
        inFlight.clear();
        return all;
    }

    long sent() {
        return sent;
    }

    long dropped() {
        return dropped;
    }

    long duplicated() {
        return duplicated;
    }

    private void enqueue(long from, long to, M message, long now) {
        int delay = faults.maxDelayTicks() == 0 ? 0 : random.nextInt(faults.maxDelayTicks() + 1);
        inFlight.add(new InFlight<>(now + delay, random.nextLong(), from, to, message));
    }

    private boolean chance(double p) {
        return p > 0 && random.nextDouble() < p;
    }
}
