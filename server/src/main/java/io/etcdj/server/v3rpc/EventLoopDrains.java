package io.etcdj.server.v3rpc;

import io.etcdj.server.watch.DrainThread;
import io.netty.channel.EventLoop;
import io.netty.channel.SingleThreadEventLoop;
import java.util.concurrent.TimeUnit;

/**
 * A watch stream's drains on the event loop of its connection, so responses reach the wire with no
 * thread between the watch hub and the socket. A drain runs at the end of a loop iteration, after
 * the loop's I/O and its other tasks: a put's request and answer never wait behind watch responses,
 * and events that arrive while the loop is busy join the responses still queued.
 */
final class EventLoopDrains implements DrainThread {
    private final EventLoop loop;
    private final SingleThreadEventLoop single;

    EventLoopDrains(EventLoop loop) {
        this.loop = loop;
        this.single = loop instanceof SingleThreadEventLoop s ? s : null;
    }

    @Override
    public void run(Runnable task) {
        if (single == null) {
            loop.execute(task);
        } else if (single.inEventLoop()) {
            single.executeAfterEventLoopIteration(task);
        } else {
            single.execute(() -> single.executeAfterEventLoopIteration(task));
        }
    }

    @Override
    public void runLater(Runnable task, long delayNanos) {
        loop.schedule(task, delayNanos, TimeUnit.NANOSECONDS);
    }
}
