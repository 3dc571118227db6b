package io.etcdj.raft;

import io.etcdj.raft.quorum.VoteLookup;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The leader's pending safe read-index requests (thesis §6.4). Each request records the commit
 * index when it arrived and waits for a quorum to acknowledge a heartbeat carrying its context.
 * Requests are answered in arrival order: a quorum acknowledging a later request's round
 * confirms leadership after every earlier request arrived too, so one round serves them all.
 */
final class ReadOnly {

    /** One pending request: the message, the read index, and who acknowledged its round. */
    static final class Pending {
        final Message.MsgReadIndex request;
        final long index;
        final Set<Long> acks = new HashSet<>();

        Pending(Message.MsgReadIndex request, long index) {
            this.request = request;
            this.index = index;
        }
    }

    private final ReadOnlyOption option;
    private final Map<String, Pending> pendingByContext = new HashMap<>();
    /** Contexts in arrival order: the queue is what is iterated, never the map. */
    private final List<String> queue = new ArrayList<>();

    ReadOnly(ReadOnlyOption option) {
        this.option = option;
    }

    ReadOnlyOption option() {
        return option;
    }

    private static String key(byte[] context) {
        // ISO-8859-1 maps every byte to one char: a lossless key for arbitrary bytes.
        return new String(context, StandardCharsets.ISO_8859_1);
    }

    /** Queues a request read at {@code index}; a duplicate context is ignored. */
    void addRequest(long index, Message.MsgReadIndex request) {
        String k = key(request.context());
        if (pendingByContext.containsKey(k)) {
            return;
        }
        pendingByContext.put(k, new Pending(request, index));
        queue.add(k);
    }

    /** Records {@code id}'s acknowledgement of the round for {@code context}; null if unknown. */
    VoteLookup recvAck(long id, byte[] context) {
        Pending p = pendingByContext.get(key(context));
        if (p == null) {
            return null;
        }
        p.acks.add(id);
        return voter -> p.acks.contains(voter) ? VoteLookup.Vote.YES : VoteLookup.Vote.MISSING;
    }

    /** Dequeues and returns every request up to and including the one for {@code context}. */
    List<Pending> advance(byte[] context) {
        String k = key(context);
        int at = queue.indexOf(k);
        if (at < 0) {
            return List.of();
        }
        List<Pending> done = new ArrayList<>(at + 1);
        for (int i = 0; i <= at; i++) {
            done.add(pendingByContext.remove(queue.get(i)));
        }
        queue.subList(0, at + 1).clear();
        return done;
    }

    /** The context of the newest pending request, to piggyback on a heartbeat; null if none. */
    byte[] lastPendingRequestContext() {
        if (queue.isEmpty()) {
            return null;
        }
        return pendingByContext.get(queue.get(queue.size() - 1)).request.context();
    }

    int pendingCount() {
        return queue.size();
    }
}
