package io.etcdj.raft;

import java.util.List;

/**
 * A raft message between peers, named after etcd's message types. Immutable. Every message has
 * a sender, a recipient and the sender's term; a term of 0 marks a message that is local to the
 * recipient's view (a proposal or read request forwarded by a follower carries no term, since
 * it is not a statement about the sender's log).
 */
public sealed interface Message {

    long from();

    long to();

    long term();

    /** Whether this message answers one the recipient sent (it must know the sender). */
    default boolean isResponse() {
        return this instanceof MsgAppResp || this instanceof MsgVoteResp || this instanceof MsgPreVoteResp
                || this instanceof MsgHeartbeatResp;
    }

    /**
     * Leader → follower: entries following ({@code index}, {@code logTerm}), and the leader's
     * commit index (§5.3).
     */
    record MsgApp(long from, long to, long term, long logTerm, long index, List<Entry> entries, long commit)
            implements Message {
        public MsgApp {
            entries = List.copyOf(entries);
        }
    }

    /**
     * Follower → leader: accepted up to {@code index}, or rejected the append at {@code index};
     * then {@code rejectHint}/{@code logTerm} guess where the logs may match.
     */
    record MsgAppResp(long from, long to, long term, long index, boolean reject, long rejectHint, long logTerm)
            implements Message {
    }

    /** Candidate → voter (§5.2); {@code transfer}: a leadership transfer, ignore the lease. */
    record MsgVote(long from, long to, long term, long logTerm, long index, boolean transfer) implements Message {
    }

    record MsgVoteResp(long from, long to, long term, boolean reject) implements Message {
    }

    /** Pre-candidate → voter (thesis §9.6): would you vote for me at {@code term}? Changes nothing. */
    record MsgPreVote(long from, long to, long term, long logTerm, long index) implements Message {
    }

    record MsgPreVoteResp(long from, long to, long term, boolean reject) implements Message {
    }

    /** Leader → follower; {@code commit} is capped at the follower's match; {@code context} is a read round. */
    record MsgHeartbeat(long from, long to, long term, long commit, byte[] context) implements Message {
        public MsgHeartbeat {
            context = context == null ? new byte[0] : context;
        }
    }

    record MsgHeartbeatResp(long from, long to, long term, byte[] context) implements Message {
        public MsgHeartbeatResp {
            context = context == null ? new byte[0] : context;
        }
    }

    /** Leader → lagging follower: install this snapshot (§7). */
    record MsgSnap(long from, long to, long term, Snapshot snapshot) implements Message {
    }

    /** A proposal, local or forwarded by a follower to its leader. */
    record MsgProp(long from, long to, long term, List<Entry> entries) implements Message {
        public MsgProp {
            entries = List.copyOf(entries);
        }
    }

    /** A read-index request, local or forwarded by a follower to its leader. */
    record MsgReadIndex(long from, long to, long term, byte[] context) implements Message {
        public MsgReadIndex {
            context = context == null ? new byte[0] : context;
        }
    }

    /** Leader → follower: reads for {@code context} may be served once applied ≥ {@code index}. */
    record MsgReadIndexResp(long from, long to, long term, long index, byte[] context) implements Message {
        public MsgReadIndexResp {
            context = context == null ? new byte[0] : context;
        }
    }

    /** Leader → transferee: campaign now, ignoring the election timeout (thesis §3.10). */
    record MsgTimeoutNow(long from, long to, long term) implements Message {
    }

    /**
     * Asks the leader to transfer leadership. As in etcd, {@code from} is the transferee (a
     * follower forwards the request with the transferee unchanged).
     */
    record MsgTransferLeader(long from, long to, long term) implements Message {
    }
}
