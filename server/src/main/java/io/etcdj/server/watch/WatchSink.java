package io.etcdj.server.watch;

import io.etcdj.api.etcdserverpb.WatchResponse;
import java.util.List;

/**
 * Where the hub puts one stream's responses, in order. Bounded: both offers return false instead of
 * waiting, and the hub treats a refusal as "this watcher is behind", never as a reason to block.
 */
interface WatchSink {

    /** Queues the responses (fragments of one message, or one message) all or none. */
    boolean offerEvents(List<WatchResponse> responses);

    /** Queues a created, canceled or progress response; these have a small reserve of their own. */
    boolean offerControl(WatchResponse response);

    /** Ends the stream with an error after what is queued; the hub drops the stream's watchers. */
    void fail(Throwable error);
}
