package io.etcdj.server.storage.wal;

import static org.assertj.core.api.Assertions.assertThat;

import io.etcdj.raft.ConfState;
import io.etcdj.raft.Entry;
import io.etcdj.raft.EntryType;
import io.etcdj.raft.HardState;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.List;
import java.util.zip.CRC32C;
import org.junit.jupiter.api.Test;

class FramesTest {

    private final CRC32C crc = new CRC32C();

    @Test
    void framesAreAlignedAndRoundTripEveryPayloadKind() {
        ByteBuffer out = ByteBuffer.allocate(4096).order(ByteOrder.LITTLE_ENDIAN);
        Entry entry = new Entry(3, 9, EntryType.CONF_CHANGE_V2, new byte[] {1, 2, 3});
        HardState state = new HardState(3, 2, 8);
        WalSnapshot marker = new WalSnapshot(7, 3, new ConfState(List.of(1L, 2L), List.of(3L), List.of(1L), List.of(4L), true));
        int c1 = Frames.append(out, crc, 0, RecordType.ENTRY, 1 << 20, o -> Payloads.writeEntry(o, entry));
        assertThat(out.position()).isEqualTo(Frames.frameBytes(20)).isEqualTo(48);
        int c2 = Frames.append(out, crc, c1, RecordType.HARD_STATE, 1 << 20, o -> Payloads.writeHardState(o, state));
        Frames.append(out, crc, c2, RecordType.SNAPSHOT, 1 << 20, o -> Payloads.writeSnapshot(o, marker));
        assertThat(out.position() % Frames.ALIGNMENT_BYTES).isZero();

        byte[] bytes = out.array();
        int size = out.position();
        Frames.Frame f1 = (Frames.Frame) Frames.decode(bytes, 0, size, 1 << 20, crc);
        assertThat(f1.crc()).isEqualTo(c1);
        assertThat(Payloads.readEntry(Frames.payload(bytes, f1, 0))).isEqualTo(entry);
        Frames.Frame f2 = (Frames.Frame) Frames.decode(bytes, f1.endOffset(), size, 1 << 20, crc);
        assertThat(Payloads.readHardState(Frames.payload(bytes, f2, c1))).isEqualTo(state);
        Frames.Frame f3 = (Frames.Frame) Frames.decode(bytes, f2.endOffset(), size, 1 << 20, crc);
        assertThat(Payloads.readSnapshot(Frames.payload(bytes, f3, c2))).isEqualTo(marker);
        assertThat(f3.endOffset()).isEqualTo(size);
        assertThat(Frames.decode(bytes, size, size + 16, 1 << 20, crc)).isInstanceOf(Frames.EndOfData.class);
    }

    @Test
    void payloadsAreWhitenedOnDiskSoZeroDataIsNotZeroBytes() {
        ByteBuffer out = ByteBuffer.allocate(4096).order(ByteOrder.LITTLE_ENDIAN);
        Frames.append(out, crc, 77, RecordType.METADATA, 1 << 20, o -> o.put(new byte[1024]));
        byte[] bytes = out.array();
        assertThat(Frames.allZero(bytes, Frames.HEADER_BYTES, Frames.HEADER_BYTES + 1024)).isFalse();
        for (int sector = 512; sector + 512 <= Frames.HEADER_BYTES + 1024; sector += 512) {
            assertThat(Frames.allZero(bytes, sector, sector + 512)).isFalse();
        }
        Frames.Frame frame = (Frames.Frame) Frames.decode(bytes, 0, out.position(), 1 << 20, crc);
        assertThat(Frames.payload(bytes, frame, 77).array()).isEqualTo(new byte[1024]);
        // Negative control: the wrong seed does not give the data back.
        assertThat(Frames.payload(bytes, frame, 78).array()).isNotEqualTo(new byte[1024]);
    }

    @Test
    void theChainDependsOnThePreviousCrc() {
        ByteBuffer a = ByteBuffer.allocate(64).order(ByteOrder.LITTLE_ENDIAN);
        ByteBuffer b = ByteBuffer.allocate(64).order(ByteOrder.LITTLE_ENDIAN);
        int fromZero = Frames.append(a, crc, 0, RecordType.METADATA, 100, o -> o.put((byte) 1));
        int fromOne = Frames.append(b, crc, 1, RecordType.METADATA, 100, o -> o.put((byte) 1));
        assertThat(fromZero).isNotEqualTo(fromOne);
    }

    @Test
    void theTrailersLastByteIsNeverZeroBelowTheLengthLimit() {
        for (int length : new int[] {0, 1, 255, 1 << 20, (1 << 24) + 5, WalOptions.LIMIT_MAX_RECORD_BYTES}) {
            assertThat((length ^ Frames.TRAILER_MASK) >>> 24).as("length %d", length).isNotZero();
        }
    }

    @Test
    void aHeaderCutShortOrOverTheLimitIsDamageWithoutATrustedEnd() {
        ByteBuffer out = ByteBuffer.allocate(64).order(ByteOrder.LITTLE_ENDIAN);
        Frames.append(out, crc, 0, RecordType.METADATA, 100, o -> o.put(new byte[20]));
        byte[] bytes = out.array();
        assertThat(Frames.decode(bytes, 0, 10, 100, crc)).isEqualTo(new Frames.Damage(
                "partial header of 10 bytes at end of file", -1));
        assertThat(Frames.decode(bytes, 0, out.position(), 10, crc)).isInstanceOf(Frames.Damage.class)
                .extracting(d -> ((Frames.Damage) d).claimedEndOffset()).isEqualTo(-1L);
        assertThat(Frames.decode(bytes, 0, out.position() - 1, 100, crc)).isInstanceOf(Frames.Damage.class)
                .extracting(d -> ((Frames.Damage) d).claimedEndOffset()).isEqualTo((long) out.position());
    }
}
