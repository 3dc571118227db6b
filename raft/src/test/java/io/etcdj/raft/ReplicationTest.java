package io.etcdj.raft;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.etcdj.raft.Message.MsgApp;
import io.etcdj.raft.tracker.ProgressState;
import org.junit.jupiter.api.Test;

/** §5.3 log replication and the flow control around it. */
class ReplicationTest {

    @Test
    void section5_3_followerConflictingSuffixIsOverwritten() {
        Network net = new Network(b -> b.preVote(false).checkQuorum(false), 1, 2, 3);
        net.elect(1);
        // 1 appends entries only it has, then loses leadership to 2.
        net.isolate(1);
        net.node(1).propose("lost1".getBytes());
        net.node(1).propose("lost2".getBytes());
        net.stabilize();
        net.elect(2);
        net.node(2).propose("kept".getBytes());
        net.stabilize();
        net.heal();
        net.restart(1);
        net.node(2).propose("after".getBytes());
        net.stabilize();
        // The probe to 1 was lost while it was cut off; a heartbeat round resumes it.
        net.tickAll(1);
        // 1's uncommitted suffix is replaced by the new leader's log (Log Matching).
        assertThat(net.peer(1).applied.values()).extracting(e -> new String(e.data()))
                .contains("kept", "after").doesNotContain("lost1", "lost2");
        assertThat(net.peer(1).storage.lastIndex()).isEqualTo(net.peer(2).storage.lastIndex());
    }

    @Test
    void section5_3_divergentFollowerIsRepairedInFewRoundTrips() {
        Network net = new Network(b -> b.preVote(false).checkQuorum(false), 1, 2, 3);
        net.elect(1);
        net.isolate(1);
        for (int i = 0; i < 20; i++) {
            net.node(1).propose(("stale" + i).getBytes());
        }
        net.stabilize();
        net.elect(2);
        net.heal();
        net.restart(1);
        int before = net.sent.size();
        net.node(2).propose("x".getBytes());
        net.tickAll(1);
        long appsTo1 = net.sent.subList(before, net.sent.size()).stream()
                .filter(m -> m instanceof MsgApp && m.to() == 1).count();
        // One probe, one corrected append, one commit update: not one round trip per entry.
        assertThat(appsTo1).isLessThanOrEqualTo(4);
        assertThat(net.peer(1).applied.lastEntry().getValue().data()).containsExactly('x');
    }

    @Test
    void flowControl_inflightWindowBoundsUnacknowledgedAppends() {
        Network net = new Network(b -> b.maxInflightMsgs(2).maxSizePerMsgBytes(0), 1, 2, 3);
        net.elect(1);
        net.isolate(2);
        int before = net.sent.size();
        for (int i = 0; i < 10; i++) {
            net.node(1).propose(new byte[] {(byte) i});
            net.processReady(1);
        }
        long appsTo2 = net.sent.subList(before, net.sent.size()).stream()
                .filter(m -> m instanceof MsgApp a && m.to() == 2 && !a.entries().isEmpty()).count();
        assertThat(appsTo2).isEqualTo(2);
        assertThat(net.node(1).status().progress().get(2L).state()).isEqualTo(ProgressState.REPLICATE);
    }

    @Test
    void flowControl_maxSizePerMessageSplitsAppends() {
        Network net = new Network(b -> b.maxSizePerMsgBytes(10), 1, 2);
        net.elect(1);
        net.isolate(2);
        for (int i = 0; i < 5; i++) {
            net.node(1).propose(new byte[6]);
        }
        net.stabilize();
        net.heal();
        int before = net.sent.size();
        net.tickAll(1);
        for (Message m : net.sent.subList(before, net.sent.size())) {
            if (m instanceof MsgApp a && a.entries().size() > 1) {
                long bytes = a.entries().stream().mapToLong(Entry::payloadSize).sum();
                assertThat(bytes).isLessThanOrEqualTo(10);
            }
        }
        assertThat(net.peer(2).storage.lastIndex()).isEqualTo(net.peer(1).storage.lastIndex());
    }

    @Test
    void uncommittedSizeLimitDropsProposalsUntilCommitted() {
        Network net = new Network(b -> b.maxUncommittedEntriesSizeBytes(100), 1, 2, 3);
        net.elect(1);
        net.isolate(2);
        net.isolate(3);
        net.node(1).propose(new byte[60]);
        net.node(1).propose(new byte[30]);
        assertThatThrownBy(() -> net.node(1).propose(new byte[20]))
                .isInstanceOf(ProposalDroppedException.class)
                .hasMessageContaining("uncommitted");
        // Empty proposals never count against the limit.
        net.node(1).propose(new byte[0]);
        net.heal();
        net.stabilize();
        net.node(1).propose(new byte[20]);
        net.stabilize();
        assertThat(net.peer(3).applied.lastEntry().getValue().data()).hasSize(20);
    }

    @Test
    void committedEntriesPerReadyAreBoundedBySize() {
        MemoryStorage s = Network.bootstrapStorage(new long[] {1}, new long[0]);
        RawNode n = new RawNode(Config.builder(1, s).maxSizePerMsgBytes(10).maxCommittedSizePerReadyBytes(10).build());
        n.campaign();
        for (int i = 0; i < 6; i++) {
            n.propose(new byte[5]);
        }
        int maxCommittedBytes = 0;
        int applied = 0;
        for (int guard = 0; guard < 50 && n.hasReady(); guard++) {
            Ready rd = n.ready();
            s.append(rd.entries());
            int bytes = rd.committedEntries().stream().mapToInt(e -> e.data().length).sum();
            maxCommittedBytes = Math.max(maxCommittedBytes, bytes);
            applied += (int) rd.committedEntries().stream().filter(e -> e.data().length > 0).count();
            n.advance(rd);
        }
        assertThat(applied).isEqualTo(6);
        assertThat(maxCommittedBytes).isLessThanOrEqualTo(10);
    }
}
