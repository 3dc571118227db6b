package io.etcdj.raft;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Test;

class StorageAndCodecTest {

    private static List<Entry> entries(long fromIndex, long toIndex, long term) {
        List<Entry> out = new ArrayList<>();
        for (long i = fromIndex; i <= toIndex; i++) {
            out.add(Entry.of(term, i, new byte[] {(byte) i}));
        }
        return out;
    }

    @Test
    void memoryStorageAppendOverwritesConflictingSuffix() {
        MemoryStorage s = new MemoryStorage();
        s.append(entries(1, 5, 1));
        s.append(entries(4, 6, 2));
        assertThat(s.lastIndex()).isEqualTo(6);
        assertThat(s.term(3)).isEqualTo(1);
        assertThat(s.term(4)).isEqualTo(2);
        assertThatThrownBy(() -> s.append(entries(9, 9, 2))).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("missing log entry");
    }

    @Test
    void memoryStorageCompactAndSnapshot() {
        MemoryStorage s = new MemoryStorage();
        s.append(entries(1, 10, 1));
        s.createSnapshot(6, ConfState.ofVoters(1L), new byte[] {9});
        s.compact(6);
        assertThat(s.firstIndex()).isEqualTo(7);
        assertThat(s.term(6)).isEqualTo(1);
        assertThatThrownBy(() -> s.term(5)).isInstanceOf(CompactedException.class);
        assertThatThrownBy(() -> s.entries(6, 8, Long.MAX_VALUE)).isInstanceOf(CompactedException.class);
        assertThatThrownBy(() -> s.term(11)).isInstanceOf(UnavailableException.class);
        assertThat(s.entries(7, 11, Long.MAX_VALUE)).hasSize(4);
        // Size limit: always at least one entry.
        assertThat(s.entries(7, 11, 0)).hasSize(1);
        assertThat(s.entries(7, 11, 2)).hasSize(2);
        assertThatThrownBy(() -> s.createSnapshot(5, ConfState.EMPTY, null)).isInstanceOf(SnapshotOutOfDateException.class);
    }

    @Test
    void configValidationNamesTheProblem() {
        MemoryStorage s = new MemoryStorage();
        assertThatThrownBy(() -> Config.builder(0, s).build()).hasMessage("cannot use none as id");
        assertThatThrownBy(() -> Config.builder(1, s).electionTick(1).build())
                .hasMessage("election tick must be greater than heartbeat tick");
        assertThatThrownBy(() -> Config.builder(1, s).checkQuorum(false).readOnlyOption(ReadOnlyOption.LEASE_BASED).build())
                .hasMessage("CheckQuorum must be enabled when ReadOnlyOption is ReadOnlyLeaseBased");
        assertThatThrownBy(() -> Config.builder(1, s).maxInflightBytes(10).build())
                .hasMessage("max inflight bytes must be >= max message size");
        Config c = Config.builder(1, s).build();
        assertThat(c.preVote()).isTrue();
        assertThat(c.checkQuorum()).isTrue();
        assertThat(c.maxCommittedSizePerReadyBytes()).isEqualTo(c.maxSizePerMsgBytes());
    }

    @Provide
    Arbitrary<ConfChangeV2> v2s() {
        Arbitrary<ConfChangeSingle> single = net.jqwik.api.Combinators.combine(
                Arbitraries.of(ConfChangeType.class), Arbitraries.longs())
                .as(ConfChangeSingle::new);
        return net.jqwik.api.Combinators.combine(Arbitraries.of(ConfChangeTransition.class),
                single.list().ofMaxSize(5), Arbitraries.bytes().array(byte[].class).ofMaxSize(8))
                .as(ConfChangeV2::new);
    }

    @Property
    void confChangeV2RoundTrips(@ForAll("v2s") ConfChangeV2 cc) {
        assertThat(ConfChangeV2.decode(cc.encode())).isEqualTo(cc);
    }

    @Property
    void confChangeV1RoundTrips(@ForAll ConfChangeType type, @ForAll long id, @ForAll byte[] context) {
        ConfChange cc = new ConfChange(type, id, context);
        assertThat(ConfChange.decode(cc.encode())).isEqualTo(cc);
    }

    @Test
    void emptyV2PayloadIsLeaveJointAndGarbageIsRefused() {
        assertThat(ConfChangeV2.decode(new byte[0]).leaveJoint()).isTrue();
        assertThatThrownBy(() -> ConfChangeV2.decode(new byte[] {2, 0, 0, 0, 0, 9}))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> ConfChange.decode(new byte[] {7})).isInstanceOf(IllegalArgumentException.class);
    }
}
