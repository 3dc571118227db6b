package io.etcdj.server.v3rpc;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelPipeline;
import io.netty.handler.codec.http2.Http2ConnectionHandler;
import io.netty.util.concurrent.ScheduledFuture;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.LongSupplier;

/**
 * etcd's server-side gRPC keep-alive ({@code --grpc-keepalive-interval},
 * {@code --grpc-keepalive-timeout}), with grpc-go's rules: when nothing has been read from a
 * connection for the interval, the server sends an HTTP/2 PING; when nothing at all (the PING ACK or
 * any other frame) has been read for the timeout after that, it closes the connection. This is how a
 * member notices a client whose host died or whose network went away without a FIN: its watch and
 * keep-alive streams, and the watchers on them, are freed with the connection.
 *
 * <p>One instance per connection, first in its pipeline, so that every inbound byte counts as
 * activity before any protocol handler sees it. Everything runs on the connection's event loop. A
 * connection that never becomes HTTP/2 (an HTTP/1 probe of {@code /health}) is never pinged.
 * Armeria's own PING support is not used: it waits for the ACK as long as the interval (two hours
 * by etcd's default) and knows no separate timeout.
 */
public final class ServerKeepAlive extends ChannelInboundHandlerAdapter {
    /** grpc-go raises a shorter server keep-alive time to this. */
    static final Duration MIN_INTERVAL = Duration.ofSeconds(1);
    /** grpc-go's defaults, which etcd keeps when either flag is 0. */
    static final Duration DEFAULT_INTERVAL = Duration.ofHours(2);
    static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(20);
    private static final long PING_PAYLOAD = 0x6574_6364_6a6b_6100L; // "etcdjka\0": recognisable in a capture

    private final long intervalNanos;
    private final long timeoutNanos;
    private final LongSupplier nanoClock;

    private ChannelHandlerContext ctx;
    private long lastReadNanos;
    private boolean pingOutstanding;
    private long pingSentNanos;
    private ScheduledFuture<?> check;

    ServerKeepAlive(Duration interval, Duration timeout, LongSupplier nanoClock) {
        this.intervalNanos = interval.toNanos();
        this.timeoutNanos = timeout.toNanos();
        this.nanoClock = nanoClock;
    }

    /**
     * The pipeline customizer for a server: a fresh keep-alive and {@link PingPolicy} at the head
     * of each connection. Etcd's rules for the flags: either of interval and timeout 0 means
     * grpc-go's defaults for both; an interval under a second is a second; a minimum ping time of
     * 0 is grpc-go's 5 minutes.
     */
    public static Consumer<ChannelPipeline> installer(Duration interval, Duration timeout, Duration minTime) {
        Timing timing = Timing.of(interval, timeout);
        Duration pingMinTime = PingPolicy.minTime(minTime);
        return pipeline -> {
            pipeline.addFirst("etcd-grpc-ping-policy", new PingPolicy(pingMinTime, System::nanoTime));
            pipeline.addFirst("etcd-grpc-keepalive", new ServerKeepAlive(timing.interval(), timing.timeout(), System::nanoTime));
        };
    }

    /** The interval and timeout in force for the flags' values. */
    record Timing(Duration interval, Duration timeout) {
        static Timing of(Duration interval, Duration timeout) {
            if (!interval.isPositive() || !timeout.isPositive()) {
                // etcd passes keep-alive parameters to grpc-go only when both are positive.
                return new Timing(DEFAULT_INTERVAL, DEFAULT_TIMEOUT);
            }
            return new Timing(interval.compareTo(MIN_INTERVAL) >= 0 ? interval : MIN_INTERVAL, timeout);
        }
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        this.ctx = ctx;
        if (ctx.channel().isActive()) {
            start();
        }
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) throws Exception {
        start();
        super.channelActive(ctx);
    }

    /** Once per read from the socket, not per message in it (Netty's IdleStateHandler does the same). */
    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) throws Exception {
        lastReadNanos = nanoClock.getAsLong();
        super.channelReadComplete(ctx);
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) throws Exception {
        stop();
        super.channelInactive(ctx);
    }

    @Override
    public void handlerRemoved(ChannelHandlerContext ctx) {
        stop();
    }

    private void start() {
        if (check != null) {
            return;
        }
        lastReadNanos = nanoClock.getAsLong();
        schedule(intervalNanos);
    }

    private void stop() {
        if (check != null) {
            check.cancel(false);
        }
    }

    private void schedule(long delayNanos) {
        check = ctx.executor().schedule(this::check, Math.max(delayNanos, 1), TimeUnit.NANOSECONDS);
    }

    /** Runs on the event loop when a deadline may have passed. */
    void check() {
        if (!ctx.channel().isActive()) {
            return;
        }
        long now = nanoClock.getAsLong();
        if (pingOutstanding) {
            if (lastReadNanos - pingSentNanos >= 0) {
                pingOutstanding = false; // the client answered (or spoke): back to waiting for idleness
            } else if (now - pingSentNanos >= timeoutNanos) {
                // Closed from the head of the pipeline: no GOAWAY handshake with a peer that has
                // stopped answering (grpc-go closes the transport the same way); Armeria still sees
                // the connection go inactive and ends its streams.
                ctx.close();
                return;
            } else {
                schedule(pingSentNanos + timeoutNanos - now);
                return;
            }
        }
        long idle = now - lastReadNanos;
        if (idle < intervalNanos) {
            schedule(intervalNanos - idle);
            return;
        }
        Http2ConnectionHandler http2 = ctx.pipeline().get(Http2ConnectionHandler.class);
        if (http2 == null) {
            schedule(intervalNanos); // not HTTP/2 (yet): nothing to ping with
            return;
        }
        ChannelHandlerContext http2Ctx = ctx.pipeline().context(http2);
        http2.encoder().writePing(http2Ctx, false, PING_PAYLOAD, http2Ctx.newPromise());
        http2Ctx.flush();
        pingOutstanding = true;
        pingSentNanos = now;
        schedule(timeoutNanos);
    }
}
