package io.etcdj.raft;

import io.etcdj.raft.Message.MsgApp;
import io.etcdj.raft.Message.MsgAppResp;
import io.etcdj.raft.Message.MsgHeartbeat;
import io.etcdj.raft.Message.MsgHeartbeatResp;
import io.etcdj.raft.Message.MsgPreVote;
import io.etcdj.raft.Message.MsgPreVoteResp;
import io.etcdj.raft.Message.MsgProp;
import io.etcdj.raft.Message.MsgReadIndex;
import io.etcdj.raft.Message.MsgReadIndexResp;
import io.etcdj.raft.Message.MsgSnap;
import io.etcdj.raft.Message.MsgTimeoutNow;
import io.etcdj.raft.Message.MsgTransferLeader;
import io.etcdj.raft.Message.MsgVote;
import io.etcdj.raft.Message.MsgVoteResp;
import java.nio.charset.StandardCharsets;
import java.util.List;

/** Compact, stable text for messages and entries in interaction test output. */
final class Describe {

    private Describe() {
    }

    static String id(long id) {
        return Long.toUnsignedString(id, 16);
    }

    static String data(byte[] data) {
        return "\"" + new String(data, StandardCharsets.UTF_8) + "\"";
    }

    static String entry(Entry e) {
        String head = e.term() + "/" + e.index() + " ";
        return switch (e.type()) {
            case NORMAL -> head + data(e.data());
            case CONF_CHANGE -> head + "ConfChange " + ConfChange.decode(e.data());
            case CONF_CHANGE_V2 -> head + "ConfChangeV2 " + ConfChangeV2.decode(e.data());
        };
    }

    static String entries(List<Entry> es) {
        StringBuilder sb = new StringBuilder("[");
        for (int i = 0; i < es.size(); i++) {
            if (i > 0) {
                sb.append(", ");
            }
            sb.append(entry(es.get(i)));
        }
        return sb.append(']').toString();
    }

    static String message(Message m) {
        String head = id(m.from()) + "->" + id(m.to()) + " " + m.getClass().getSimpleName() + " term=" + m.term();
        String body = switch (m) {
            case MsgApp a -> " log=" + a.logTerm() + "/" + a.index() + " commit=" + a.commit()
                    + (a.entries().isEmpty() ? "" : " entries=" + entries(a.entries()));
            case MsgAppResp r -> r.reject()
                    ? " rejected index=" + r.index() + " hint=" + r.logTerm() + "/" + r.rejectHint()
                    : " index=" + r.index();
            case MsgVote v -> " log=" + v.logTerm() + "/" + v.index() + (v.transfer() ? " transfer" : "");
            case MsgPreVote v -> " log=" + v.logTerm() + "/" + v.index();
            case MsgVoteResp r -> r.reject() ? " rejected" : "";
            case MsgPreVoteResp r -> r.reject() ? " rejected" : "";
            case MsgHeartbeat h -> " commit=" + h.commit() + (h.context().length == 0 ? "" : " ctx=" + data(h.context()));
            case MsgHeartbeatResp h -> h.context().length == 0 ? "" : " ctx=" + data(h.context());
            case MsgSnap s -> " snapshot=" + s.snapshot().metadata().term() + "/" + s.snapshot().metadata().index()
                    + " " + confState(s.snapshot().metadata().confState());
            case MsgProp p -> " entries=" + entries(p.entries());
            case MsgReadIndex r -> " ctx=" + data(r.context());
            case MsgReadIndexResp r -> " index=" + r.index() + " ctx=" + data(r.context());
            case MsgTimeoutNow t -> "";
            case MsgTransferLeader t -> "";
        };
        return head + body;
    }

    static String ids(List<Long> ids) {
        StringBuilder sb = new StringBuilder("(");
        for (int i = 0; i < ids.size(); i++) {
            if (i > 0) {
                sb.append(' ');
            }
            sb.append(id(ids.get(i)));
        }
        return sb.append(')').toString();
    }

    static String confState(ConfState cs) {
        StringBuilder sb = new StringBuilder("voters=").append(ids(cs.voters()));
        if (!cs.votersOutgoing().isEmpty()) {
            sb.append("&&").append(ids(cs.votersOutgoing()));
        }
        if (!cs.learners().isEmpty()) {
            sb.append(" learners=").append(ids(cs.learners()));
        }
        if (!cs.learnersNext().isEmpty()) {
            sb.append(" learners_next=").append(ids(cs.learnersNext()));
        }
        if (cs.autoLeave()) {
            sb.append(" autoleave");
        }
        return sb.toString();
    }
}
