package io.etcdj.server.v3rpc;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http2.Http2CodecUtil;
import io.netty.handler.codec.http2.Http2ConnectionHandlerBuilder;
import io.netty.handler.codec.http2.Http2FrameAdapter;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/**
 * The keep-alive's rules on an embedded channel with a Netty HTTP/2 server handler behind it,
 * time moved by hand: a PING after the interval of silence, a close after the timeout of more
 * silence, and any frame read in between (the PING ACK or anything else) keeping the connection.
 */
class ServerKeepAliveTest {
    private static final Duration INTERVAL = Duration.ofSeconds(10);
    private static final Duration TIMEOUT = Duration.ofSeconds(3);
    private static final int PING = 0x6;
    private static final int SETTINGS = 0x4;

    private final AtomicLong now = new AtomicLong();

    @Test
    void aSilentPeerIsPingedAfterTheIntervalAndDroppedAfterTheTimeout() {
        EmbeddedChannel channel = http2Channel();
        drainFrameTypes(channel); // the server's preface SETTINGS

        advance(channel, INTERVAL.minusMillis(1));
        assertThat(drainFrameTypes(channel)).as("no PING before the interval").doesNotContain(PING);
        advance(channel, Duration.ofMillis(1));
        assertThat(drainFrameTypes(channel)).containsExactly(PING);

        advance(channel, TIMEOUT.minusMillis(1));
        assertThat(channel.isActive()).as("open until the timeout").isTrue();
        advance(channel, Duration.ofMillis(1));
        assertThat(channel.isActive()).as("closed at the timeout").isFalse();
    }

    @Test
    void aFrameReadAfterThePingKeepsTheConnectionAndRestartsTheInterval() {
        EmbeddedChannel channel = http2Channel();
        channel.writeInbound(Unpooled.wrappedBuffer(Http2CodecUtil.connectionPrefaceBuf()), settingsFrame());
        drainFrameTypes(channel);

        advance(channel, INTERVAL);
        assertThat(drainFrameTypes(channel)).containsExactly(PING);
        advance(channel, TIMEOUT.minusSeconds(1));
        channel.writeInbound(pingAck()); // the client answers
        advance(channel, Duration.ofSeconds(1));
        assertThat(channel.isActive()).isTrue();

        // The next PING comes an interval after the answer, not after the first PING.
        advance(channel, INTERVAL.minusSeconds(1).minusMillis(1));
        assertThat(drainFrameTypes(channel)).doesNotContain(PING);
        advance(channel, Duration.ofMillis(1));
        assertThat(drainFrameTypes(channel)).containsExactly(PING);
        channel.finishAndReleaseAll();
    }

    @Test
    void aConnectionThatIsNotHttp2IsNeverPingedNorDropped() {
        EmbeddedChannel channel = new EmbeddedChannel(
                new ServerKeepAlive(INTERVAL, TIMEOUT, now::get), new ChannelInboundHandlerAdapter());
        channel.freezeTime();
        for (int i = 0; i < 5; i++) {
            advance(channel, INTERVAL.plus(TIMEOUT));
        }
        assertThat((Object) channel.readOutbound()).isNull();
        assertThat(channel.isActive()).isTrue();
        channel.finishAndReleaseAll();
    }

    @Test
    void theFlagsFollowEtcdAndGrpcGo() {
        Duration twoHours = Duration.ofHours(2);
        Duration twenty = Duration.ofSeconds(20);
        assertThat(ServerKeepAlive.Timing.of(twoHours, twenty)).isEqualTo(new ServerKeepAlive.Timing(twoHours, twenty));
        assertThat(ServerKeepAlive.Timing.of(Duration.ofSeconds(5), Duration.ofSeconds(3)))
                .isEqualTo(new ServerKeepAlive.Timing(Duration.ofSeconds(5), Duration.ofSeconds(3)));
        // Either one 0: grpc-go's defaults for both (etcd then passes no keep-alive parameters).
        assertThat(ServerKeepAlive.Timing.of(Duration.ZERO, Duration.ofSeconds(3)))
                .isEqualTo(new ServerKeepAlive.Timing(twoHours, twenty));
        assertThat(ServerKeepAlive.Timing.of(Duration.ofSeconds(5), Duration.ZERO))
                .isEqualTo(new ServerKeepAlive.Timing(twoHours, twenty));
        // grpc-go raises an interval under a second to one second.
        assertThat(ServerKeepAlive.Timing.of(Duration.ofMillis(200), Duration.ofSeconds(3)))
                .isEqualTo(new ServerKeepAlive.Timing(Duration.ofSeconds(1), Duration.ofSeconds(3)));
    }

    private EmbeddedChannel http2Channel() {
        EmbeddedChannel channel = new EmbeddedChannel(new ServerKeepAlive(INTERVAL, TIMEOUT, now::get),
                new Http2ConnectionHandlerBuilder().server(true).frameListener(new Http2FrameAdapter()).build());
        channel.freezeTime();
        return channel;
    }

    private void advance(EmbeddedChannel channel, Duration by) {
        now.addAndGet(by.toNanos());
        channel.advanceTimeBy(by.toNanos(), TimeUnit.NANOSECONDS);
        channel.runScheduledPendingTasks();
    }

    /** The types of the frames written since the last call (each outbound buffer holds whole frames). */
    private static List<Integer> drainFrameTypes(EmbeddedChannel channel) {
        List<Integer> types = new ArrayList<>();
        for (Object out = channel.readOutbound(); out != null; out = channel.readOutbound()) {
            ByteBuf buf = (ByteBuf) out;
            while (buf.readableBytes() >= 9) {
                int length = buf.readUnsignedMedium();
                types.add((int) buf.readUnsignedByte());
                buf.skipBytes(1 + 4 + length);
            }
            buf.release();
        }
        return types;
    }

    private static ByteBuf settingsFrame() {
        return Unpooled.wrappedBuffer(new byte[] {0, 0, 0, SETTINGS, 0, 0, 0, 0, 0});
    }

    private static ByteBuf pingAck() {
        return Unpooled.wrappedBuffer(new byte[] {0, 0, 8, PING, 1, 0, 0, 0, 0, 1, 2, 3, 4, 5, 6, 7, 8});
    }
}
