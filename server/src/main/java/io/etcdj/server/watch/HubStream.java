package io.etcdj.server.watch;

import io.etcdj.api.etcdserverpb.WatchCreateRequest;

/**
 * One gRPC watch stream's handle on the hub, used by the RPC layer's receive side: each request
 * becomes a command for the hub thread. A stream whose commands the hub cannot take is ended.
 */
public final class HubStream {
    private final WatchHub hub;
    private final WatchStreamState state;
    private final StreamSender sender;
    private volatile boolean closed;

    HubStream(WatchHub hub, WatchStreamState state, StreamSender sender) {
        this.hub = hub;
        this.state = state;
        this.sender = sender;
    }

    public void create(WatchCreateRequest request) {
        command(core -> core.create(state, request, hub.now()));
    }

    public void cancel(long watchId) {
        command(core -> core.cancel(state, watchId));
    }

    public void requestProgress() {
        command(core -> core.requestProgress(state));
    }

    /** The call is over (the client went away, or it was closed): drop the watchers and the queue. */
    public void close() {
        sender.abandon();
        release();
    }

    private void release() {
        if (!closed) {
            closed = true;
            hub.closeLater(state);
        }
    }

    private void command(java.util.function.Consumer<WatchCore> action) {
        if (closed) {
            return;
        }
        if (!hub.submit(() -> action.accept(hub.core()))) {
            sender.fail(new IllegalStateException("watch hub overloaded")); // sent after what is queued
            release();
        }
    }
}
