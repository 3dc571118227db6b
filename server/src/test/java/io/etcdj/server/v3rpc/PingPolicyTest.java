package io.etcdj.server.v3rpc;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http2.DefaultHttp2Headers;
import io.netty.handler.codec.http2.Http2ConnectionHandler;
import io.netty.handler.codec.http2.Http2ConnectionHandlerBuilder;
import io.netty.handler.codec.http2.Http2FrameAdapter;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/**
 * grpc-go's ping enforcement as etcd configures it, between a Netty HTTP/2 client and server on
 * embedded channels, with time moved by hand: the third too-early PING (a strike each; the very
 * first PING has nothing to be early against) gets GOAWAY ENHANCE_YOUR_CALM "too_many_pings" and
 * the connection closed; two are tolerated; pings spaced by the minimum time, or with server
 * traffic in between, are never punished.
 */
class PingPolicyTest {
    private static final Duration MIN_TIME = Duration.ofSeconds(5);
    private static final int GOAWAY = 0x7;
    private static final long ENHANCE_YOUR_CALM = 0xb;
    private static final int STREAM = 3;

    private final AtomicLong now = new AtomicLong(1_000_000_000L);
    private final Http2ConnectionHandler serverHttp2 =
            new Http2ConnectionHandlerBuilder().server(true).frameListener(new Http2FrameAdapter()).build();
    private final Http2ConnectionHandler clientHttp2 =
            new Http2ConnectionHandlerBuilder().server(false).frameListener(new Http2FrameAdapter()).build();
    private final EmbeddedChannel server = new EmbeddedChannel(new PingPolicy(MIN_TIME, now::get), serverHttp2);
    private final EmbeddedChannel client = new EmbeddedChannel(clientHttp2);
    private final ByteArrayOutputStream fromServer = new ByteArrayOutputStream();

    @Test
    void withoutStreamsTheFourthPingWithinTwoHoursGetsTooManyPings() {
        handshake();
        for (int i = 0; i < 3; i++) {
            ping(Duration.ofMillis(100));
        }
        assertThat(goAway()).as("three pings are tolerated").isNull();
        assertThat(server.isActive()).isTrue();

        ping(Duration.ofMillis(100));
        assertThat(goAway()).isEqualTo("ENHANCE_YOUR_CALM too_many_pings");
        assertThat(server.isActive()).as("closed after the GOAWAY").isFalse();
    }

    @Test
    void withAStreamOpenPingsMustBeTheMinimumTimeApart() {
        handshake();
        openStream();
        for (int i = 0; i < 10; i++) {
            ping(MIN_TIME.plusMillis(1));
        }
        assertThat(goAway()).as("pings the minimum time apart").isNull();

        for (int i = 0; i < 2; i++) {
            ping(MIN_TIME.minusMillis(1));
        }
        assertThat(goAway()).as("two strikes are tolerated").isNull();
        ping(MIN_TIME.minusMillis(1));
        assertThat(goAway()).as("the third strike").isEqualTo("ENHANCE_YOUR_CALM too_many_pings");
        assertThat(server.isActive()).isFalse();
    }

    @Test
    void serverTrafficBetweenPingsWipesTheStrikes() {
        handshake();
        openStream();
        ChannelHandlerContext ctx = server.pipeline().context(serverHttp2);
        for (int i = 0; i < 10; i++) {
            ping(Duration.ofMillis(100));
            if (i == 0) {
                serverHttp2.encoder().writeHeaders(ctx, STREAM, new DefaultHttp2Headers().status("200"), 0, false,
                        ctx.newPromise());
            } else {
                serverHttp2.encoder().writeData(ctx, STREAM, Unpooled.wrappedBuffer(new byte[] {1, 2, 3}), 0, false,
                        ctx.newPromise());
            }
            server.flush();
            drainServer();
        }
        assertThat(goAway()).isNull();
        assertThat(server.isActive()).isTrue();
    }

    private void handshake() {
        client.flush();
        pump(client, server);
        drainServer();
    }

    private void openStream() {
        ChannelHandlerContext ctx = client.pipeline().context(clientHttp2);
        clientHttp2.encoder().writeHeaders(ctx, STREAM, new DefaultHttp2Headers().method("POST").path("/x")
                .scheme("http").authority("a"), 0, false, ctx.newPromise());
        client.flush();
        pump(client, server);
        drainServer();
        assertThat(goAway()).as("the server took the stream").isNull();
        assertThat(serverHttp2.connection().numActiveStreams()).isEqualTo(1);
    }

    private void ping(Duration after) {
        now.addAndGet(after.toNanos());
        ChannelHandlerContext ctx = client.pipeline().context(clientHttp2);
        clientHttp2.encoder().writePing(ctx, false, now.get(), ctx.newPromise());
        client.flush();
        pump(client, server);
        drainServer();
    }

    private static void pump(EmbeddedChannel from, EmbeddedChannel to) {
        for (Object out = from.readOutbound(); out != null; out = from.readOutbound()) {
            to.writeInbound(out);
        }
    }

    private void drainServer() {
        for (Object out = server.readOutbound(); out != null; out = server.readOutbound()) {
            ByteBuf buf = (ByteBuf) out;
            fromServer.writeBytes(ByteBufUtil.getBytes(buf));
            buf.release();
        }
    }

    /** The server's GOAWAY as "ENHANCE_YOUR_CALM debug-data", or null when it sent none. */
    private String goAway() {
        ByteBuffer frames = ByteBuffer.wrap(fromServer.toByteArray());
        while (frames.remaining() >= 9) {
            int length = (frames.get() & 0xff) << 16 | (frames.get() & 0xff) << 8 | frames.get() & 0xff;
            int type = frames.get();
            frames.position(frames.position() + 5);
            byte[] payload = new byte[length];
            frames.get(payload);
            if (type == GOAWAY) {
                ByteBuffer p = ByteBuffer.wrap(payload);
                p.getInt(); // last stream id
                long code = Integer.toUnsignedLong(p.getInt());
                String debug = new String(payload, 8, payload.length - 8, StandardCharsets.US_ASCII);
                return (code == ENHANCE_YOUR_CALM ? "ENHANCE_YOUR_CALM " : "code " + code + " ") + debug;
            }
        }
        return null;
    }
}
