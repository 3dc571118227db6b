package io.etcdj.raft;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.etcdj.raft.Message.MsgAppResp;
import io.etcdj.raft.Message.MsgSnap;
import io.etcdj.raft.tracker.ProgressState;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The facade's contract: Ready/advance, reports from the transport, input validation. */
class RawNodeTest {

    private static RawNode single() {
        return new RawNode(Config.builder(1, Network.bootstrapStorage(new long[] {1}, new long[0])).build());
    }

    @Test
    void readyTwiceWithoutAdvanceIsRefused() {
        RawNode n = single();
        n.campaign();
        n.ready();
        assertThatThrownBy(n::ready).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("before advance");
    }

    @Test
    void singleNodeCommitsOnlyAfterItsOwnWriteIsAdvanced() {
        MemoryStorage s = Network.bootstrapStorage(new long[] {1}, new long[0]);
        RawNode n = new RawNode(Config.builder(1, s).build());
        n.campaign();
        Ready rd = n.ready();
        assertThat(rd.softState().raftState()).isEqualTo(StateType.LEADER);
        assertThat(rd.entries()).hasSize(1);
        assertThat(rd.committedEntries()).isEmpty();
        s.append(rd.entries());
        s.setHardState(rd.hardState());
        n.advance(rd);
        Ready next = n.ready();
        assertThat(next.committedEntries()).extracting(Entry::index).containsExactly(2L);
        assertThat(next.hardState().commit()).isEqualTo(2);
        n.advance(next);
        assertThat(n.hasReady()).isFalse();
        assertThat(n.status().applied()).isEqualTo(2);
    }

    @Test
    void responseFromUnknownPeerIsRejected() {
        RawNode n = single();
        assertThatThrownBy(() -> n.step(new MsgAppResp(9, 1, 1, 1, false, 0, 0)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("peer not found: 9");
    }

    @Test
    void proposalWithoutLeaderIsDropped() {
        Network net = new Network(1, 2, 3);
        assertThatThrownBy(() -> net.node(2).propose(new byte[] {1}))
                .isInstanceOf(ProposalDroppedException.class).hasMessageContaining("no leader");
        assertThat(net.node(2).hasReady()).isFalse();
    }

    @Test
    void reportUnreachableFallsBackToProbing() {
        Network net = new Network(1, 2, 3);
        net.elect(1);
        assertThat(net.node(1).status().progress().get(2L).state()).isEqualTo(ProgressState.REPLICATE);
        net.node(1).reportUnreachable(2);
        assertThat(net.node(1).status().progress().get(2L).state()).isEqualTo(ProgressState.PROBE);
    }

    @Test
    void failedSnapshotIsRetriedAfterReport() {
        Network net = new Network(1, 2, 3);
        net.elect(1);
        net.isolate(3);
        for (int i = 0; i < 5; i++) {
            net.node(1).propose(new byte[] {(byte) i});
        }
        net.stabilize();
        long applied = net.node(1).status().applied();
        net.peer(1).storage.createSnapshot(applied, net.peer(1).confState, new byte[] {42});
        net.peer(1).storage.compact(applied);
        net.heal();
        net.node(1).tick();
        // Run the cluster but hold the snapshot back, as a transport still sending it would.
        for (int i = 0; i < 20; i++) {
            net.peers.keySet().forEach(net::processReady);
            net.inflight.removeIf(m -> m instanceof MsgSnap);
            while (net.deliverOne()) {
                // deliver everything else
            }
        }
        assertThat(net.node(1).status().progress().get(3L).state()).isEqualTo(ProgressState.SNAPSHOT);
        // The transport says the snapshot failed: probe again, which leads to a new snapshot.
        net.node(1).reportSnapshot(3, false);
        assertThat(net.node(1).status().progress().get(3L).state()).isEqualTo(ProgressState.PROBE);
        net.heal();
        net.tickAll(2);
        assertThat(net.peer(3).storage.snapshot().metadata().index()).isEqualTo(applied);
        assertThat(net.node(1).status().progress().get(3L).state()).isEqualTo(ProgressState.REPLICATE);
        assertThat(net.node(1).status().progress().get(3L).match()).isEqualTo(applied);
    }

    @Test
    void messagesSteppedBetweenReadyAndAdvanceAreHandled() {
        Network net = new Network(1, 2, 3);
        net.elect(1);
        net.node(1).propose("a".getBytes());
        Ready rd = net.node(1).ready();
        net.peer(1).storage.append(rd.entries());
        net.inflight.addAll(rd.messages());
        // The followers answer before the leader calls advance.
        while (net.deliverOne()) {
            net.processReady(2);
            net.processReady(3);
        }
        assertThat(net.node(1).status().hardState().commit()).isEqualTo(rd.entries().getLast().index());
        net.node(1).advance(rd);
        net.stabilize();
        for (long id = 1; id <= 3; id++) {
            assertThat(net.peer(id).applied.lastEntry().getValue().data()).isEqualTo("a".getBytes());
        }
    }

    @Test
    void restartDoesNotReapplyEntriesBelowConfiguredApplied() {
        Network net = new Network(b -> b.applied(0), 1);
        net.elect(1);
        net.node(1).propose("x".getBytes());
        net.stabilize();
        long applied = net.node(1).status().applied();
        RawNode restarted = new RawNode(Config.builder(1, net.peer(1).storage).applied(applied).build());
        Ready rd = restarted.ready();
        assertThat(rd.committedEntries()).isEmpty();
        assertThat(restarted.status().hardState().commit()).isEqualTo(applied);
        assertThat(List.of(restarted.status().softState().raftState())).containsExactly(StateType.FOLLOWER);
    }
}
