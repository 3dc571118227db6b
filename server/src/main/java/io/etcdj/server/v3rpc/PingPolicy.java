package io.etcdj.server.v3rpc;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPromise;
import io.netty.handler.codec.http2.Http2ConnectionHandler;
import io.netty.handler.codec.http2.Http2Error;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.function.LongSupplier;

/**
 * etcd's {@code --grpc-keepalive-min-time}: grpc-go's keep-alive enforcement policy as etcd sets it
 * (no pings without streams). A client PING that comes sooner than the minimum time after the
 * previous one is a strike, and so is one within two hours of the previous one while the client
 * has no stream open; the third strike gets GOAWAY {@code ENHANCE_YOUR_CALM} with the debug data
 * {@code too_many_pings}, and the connection is closed. Anything the server sends on a stream
 * (HEADERS or DATA) wipes the strikes at the next PING, so a client pinging a busy connection is
 * never punished. What a Go client sees as "too_many_pings" from etcd it sees from etcdj.
 *
 * <p>One instance per connection, next to {@link ServerKeepAlive} at the head of the pipeline; it
 * finds PING, HEADERS and DATA frames with an {@link Http2FrameScanner} on each direction (the
 * HTTP/2 handler behind it is Armeria's, which offers no hook for client pings). Everything runs on
 * the connection's event loop.
 */
final class PingPolicy extends ChannelDuplexHandler {
    /** Strikes allowed; one more closes the connection. */
    static final int MAX_STRIKES = 2;
    /** How far apart pings must be while the client has no stream open (grpc-go's rule). */
    static final Duration WITHOUT_STREAMS = Duration.ofHours(2);
    /** grpc-go's minimum when etcd passes none ({@code --grpc-keepalive-min-time 0}). */
    static final Duration DEFAULT_MIN_TIME = Duration.ofMinutes(5);

    private final long minTimeNanos;
    private final LongSupplier nanoClock;
    private final Http2FrameScanner inbound = new Http2FrameScanner(true);
    private final Http2FrameScanner outbound = new Http2FrameScanner(false);
    private final Http2FrameScanner.FrameListener onInbound = this::onInboundFrame;
    private final Http2FrameScanner.FrameListener onOutbound = this::onOutboundFrame;

    private ChannelHandlerContext ctx;
    private int strikes;
    /** The server sent HEADERS or DATA since the last client PING. */
    private boolean streamsActive;
    /**
     * The client sent HEADERS since its last PING: a stream it opened in the bytes before this PING
     * counts as open even though the HTTP/2 handler behind us has not read those bytes yet.
     */
    private boolean clientOpenedStream;
    private boolean pinged;
    private long lastPingNanos;
    /** The strikes ran out in the bytes being read: GOAWAY once the HTTP/2 handler has read them too. */
    private boolean goAwayPending;
    private boolean closing;

    PingPolicy(Duration minTime, LongSupplier nanoClock) {
        this.minTimeNanos = minTime.toNanos();
        this.nanoClock = nanoClock;
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        this.ctx = ctx;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) throws Exception {
        if (msg instanceof ByteBuf buf && !inbound.disabled()) {
            inbound.scan(buf, onInbound);
        }
        super.channelRead(ctx, msg);
        // After the HTTP/2 handler has read the same bytes: it answered the PINGs (as grpc-go does
        // before its GOAWAY), and on a new connection it exists only now.
        if (goAwayPending && !closing) {
            goAway();
        }
    }

    @Override
    public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) throws Exception {
        if (msg instanceof ByteBuf buf) {
            if (!outbound.disabled() && !inbound.disabled()) { // an HTTP/1 connection has no frames
                outbound.scan(buf, onOutbound);
            }
        } else {
            streamsActive = true; // something we cannot read: err on the client's side
        }
        super.write(ctx, msg, promise);
    }

    private void onOutboundFrame(int type, int flags) {
        if (type == Http2FrameScanner.HEADERS || type == Http2FrameScanner.DATA) {
            streamsActive = true;
        }
    }

    /** The minimum time between client pings in force for the flag's value. */
    static Duration minTime(Duration flag) {
        return flag.isPositive() ? flag : DEFAULT_MIN_TIME;
    }

    private void onInboundFrame(int type, int flags) {
        if (type == Http2FrameScanner.HEADERS) {
            clientOpenedStream = true;
        }
        if (type != Http2FrameScanner.PING || (flags & Http2FrameScanner.FLAG_ACK) != 0 || goAwayPending) {
            return;
        }
        long now = nanoClock.getAsLong();
        boolean first = !pinged;
        long sincePrevious = now - lastPingNanos;
        pinged = true;
        lastPingNanos = now;
        if (streamsActive) {
            streamsActive = false;
            strikes = 0;
            return;
        }
        Http2ConnectionHandler http2 = ctx.pipeline().get(Http2ConnectionHandler.class);
        boolean openStreams = clientOpenedStream || http2 != null && http2.connection().numActiveStreams() > 0;
        clientOpenedStream = false;
        long allowed = openStreams ? minTimeNanos : WITHOUT_STREAMS.toNanos();
        if (!first && sincePrevious < allowed) {
            strikes++;
        }
        if (strikes > MAX_STRIKES) {
            goAwayPending = true;
        }
    }

    private void goAway() {
        closing = true;
        Http2ConnectionHandler http2 = ctx.pipeline().get(Http2ConnectionHandler.class);
        if (http2 == null) {
            ctx.close(); // not HTTP/2 after all: nothing to say GOAWAY with
            return;
        }
        ChannelHandlerContext http2Ctx = ctx.pipeline().context(http2);
        int lastStream = Math.max(0, http2.connection().remote().lastStreamCreated());
        ByteBuf debugData = Unpooled.copiedBuffer("too_many_pings", StandardCharsets.US_ASCII);
        http2.goAway(http2Ctx, lastStream, Http2Error.ENHANCE_YOUR_CALM.code(), debugData,
                http2Ctx.newPromise()).addListener(written -> ctx.close());
        http2Ctx.flush();
    }
}
