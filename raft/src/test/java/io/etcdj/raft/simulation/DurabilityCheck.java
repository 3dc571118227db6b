package io.etcdj.raft.simulation;

import io.etcdj.raft.HardState;
import io.etcdj.raft.MemoryStorage;
import io.etcdj.raft.Message;

/**
 * What must be on disk before a message leaves (Raft §5.1, etcd's "persist before send"): the
 * sender's term, the vote it grants, and the entries it acknowledges. Checked against the
 * simulated disk at the moment of sending, so a durability bug shows up on the message that
 * depends on it rather than only when a later crash turns it into two leaders.
 */
final class DurabilityCheck {

    private DurabilityCheck() {
    }

    static void beforeSend(long node, Message m, MemoryStorage disk) {
        HardState hs = disk.initialState().hardState();
        String who = "node " + Long.toUnsignedString(node, 16) + " sends " + m.getClass().getSimpleName();
        // A pre-vote asks about a term nobody has entered yet, and its answer echoes that term.
        boolean preVote = m instanceof Message.MsgPreVote || m instanceof Message.MsgPreVoteResp;
        if (!preVote && m.term() > hs.term()) {
            throw new InvariantViolation("Term durable", who + " at term " + m.term() + " with term "
                    + hs.term() + " on disk");
        }
        if (m instanceof Message.MsgVoteResp resp && !RecordCopy.flag(resp, "reject")
                && hs.term() == resp.term() && hs.vote() != resp.to()) {
            throw new InvariantViolation("Vote durable", who + " granting term " + resp.term() + " to "
                    + Long.toUnsignedString(resp.to(), 16) + " with vote " + Long.toUnsignedString(hs.vote(), 16)
                    + " on disk");
        }
        // An ack made at an older term may be overtaken, within the same Ready, by a newer
        // leader's append that truncates the acknowledged entries before they are persisted. The
        // old leader may still count it, but it cannot commit with it: any quorum that elected
        // the newer leader overlaps its quorum in a node that had the entries and would have
        // refused that vote. So only acks at the term on disk must be backed by the disk.
        if (m instanceof Message.MsgAppResp resp && !resp.reject() && resp.term() == hs.term()
                && resp.index() > disk.lastIndex()) {
            throw new InvariantViolation("Ack durable", who + " acknowledging index " + resp.index()
                    + " with last index " + disk.lastIndex() + " on disk");
        }
    }
}
