package io.etcdj.raft.simulation;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class SimNetworkTest {

    private static List<String> deliverAll(SimNetwork<String> net, long untilTick) {
        List<String> out = new ArrayList<>();
        for (long now = 0; now <= untilTick; now++) {
            for (var m = net.pollDue(now); m != null; m = net.pollDue(now)) {
                out.add(m.message());
            }
        }
        return out;
    }

    @Test
    void withoutFaultsEverythingArrivesInOrderSent() {
        SimNetwork<String> net = new SimNetwork<>(new SplittableRandom(1));
        for (int i = 0; i < 100; i++) {
            net.send(1, 2, "m" + i, 0);
        }
        List<String> got = deliverAll(net, 0);
        assertThat(got).hasSize(100);
    }

    @Test
    void delaysReorderAndDuplicatesAndDropsHappenAtTheirRates() {
        SimNetwork<String> net = new SimNetwork<>(new SplittableRandom(7));
        net.setFaults(new SimNetwork.Faults(0.2, 0.1, 5));
        List<String> sent = new ArrayList<>();
        for (int i = 0; i < 10_000; i++) {
            sent.add("m" + i);
            net.send(1, 2, "m" + i, 0);
        }
        List<String> got = deliverAll(net, 5);
        assertThat(net.dropped()).isBetween(1800L, 2200L);
        assertThat(net.duplicated()).isBetween(700L, 900L);
        assertThat(got).hasSize((int) (10_000 - net.dropped() + net.duplicated()));
        assertThat(got).isNotEqualTo(sent.subList(0, got.size()));
        assertThat(net.inFlightCount()).isZero();
    }

    @Test
    void sameSeedSameDelivery() {
        List<List<String>> runs = new ArrayList<>();
        for (int run = 0; run < 2; run++) {
            SimNetwork<String> net = new SimNetwork<>(new SplittableRandom(42));
            net.setFaults(new SimNetwork.Faults(0.1, 0.1, 3));
            for (int i = 0; i < 500; i++) {
                net.send(i % 3, (i + 1) % 3, "m" + i, i / 50);
            }
            runs.add(deliverAll(net, 20));
        }
        assertThat(runs.get(0)).isEqualTo(runs.get(1));
    }

    @Test
    void oneWayCutLosesOnlyThatDirectionIncludingMessagesAlreadyInFlight() {
        SimNetwork<String> net = new SimNetwork<>(new SplittableRandom(3));
        net.send(1, 2, "before-cut", 0);
        net.partitions().cutOneWay(1, 2);
        net.send(1, 2, "a", 0);
        net.send(2, 1, "b", 0);
        assertThat(deliverAll(net, 0)).containsExactly("b");
        net.partitions().heal();
        net.send(1, 2, "c", 1);
        assertThat(deliverAll(net, 1)).containsExactly("c");
    }

    @Test
    void isolateAndSplitCutBothWays() {
        Partitions p = new Partitions();
        p.isolate(1, List.of(1L, 2L, 3L));
        assertThat(p.blocks(1, 2)).isTrue();
        assertThat(p.blocks(3, 1)).isTrue();
        assertThat(p.blocks(2, 3)).isFalse();
        p.heal();
        p.split(List.of(1L, 2L), List.of(1L, 2L, 3L, 4L, 5L));
        assertThat(p.blocks(1, 2)).isFalse();
        assertThat(p.blocks(2, 5)).isTrue();
        assertThat(p.blocks(4, 1)).isTrue();
        assertThat(p.blocks(4, 5)).isFalse();
        assertThat(p.cutLinks()).isEqualTo(12);
    }
}
