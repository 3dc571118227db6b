package io.etcdj.raft;

import static org.assertj.core.api.Assertions.assertThat;

import io.etcdj.raft.Message.MsgTimeoutNow;
import org.junit.jupiter.api.Test;

/** Thesis §3.10 leadership transfer. */
class TransferTest {

    @Test
    void section3_10_transferToUpToDateFollower() {
        Network net = new Network(1, 2, 3);
        net.elect(1);
        net.node(1).transferLeadership(3);
        net.stabilize();
        assertThat(net.leader()).isEqualTo(3);
        assertThat(net.peer(3).term()).isEqualTo(3);
    }

    @Test
    void section3_10_laggingTransfereeIsCaughtUpBeforeTimeoutNow() {
        Network net = new Network(1, 2, 3);
        net.elect(1);
        net.isolate(3);
        net.node(1).propose("a".getBytes());
        net.stabilize();
        net.heal();
        int before = net.sent.size();
        net.node(1).transferLeadership(3);
        net.stabilize();
        net.tickAll(1);
        assertThat(net.leader()).isEqualTo(3);
        // TimeoutNow went out only after 3 acknowledged the leader's last entry.
        assertThat(net.sent.subList(before, net.sent.size())).filteredOn(m -> m instanceof MsgTimeoutNow).hasSize(1);
        assertThat(net.peer(3).applied.values()).extracting(e -> new String(e.data())).contains("a");
    }

    @Test
    void section3_10_transferAbortsAfterElectionTimeout() {
        Network net = new Network(1, 2, 3);
        net.elect(1);
        net.isolate(3);
        net.node(1).transferLeadership(3);
        assertThat(net.node(1).status().leadTransferee()).isEqualTo(3);
        net.tickAll(10);
        assertThat(net.node(1).status().leadTransferee()).isZero();
        assertThat(net.leader()).isEqualTo(1);
        // Proposals are accepted again.
        net.node(1).propose("ok".getBytes());
    }

    @Test
    void section3_10_transferToLearnerIsIgnored() {
        Network net = new Network(1, 2);
        net.addPeer(3, Network.bootstrapStorage(new long[] {1, 2}, new long[0]));
        net.elect(1);
        net.node(1).proposeConfChange(new ConfChange(ConfChangeType.ADD_LEARNER_NODE, 3, null));
        net.stabilize();
        net.node(1).transferLeadership(3);
        net.stabilize();
        assertThat(net.leader()).isEqualTo(1);
        assertThat(net.node(1).status().leadTransferee()).isZero();
    }
}
