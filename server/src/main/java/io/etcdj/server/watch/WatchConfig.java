package io.etcdj.server.watch;

import java.time.Duration;

/**
 * The watch limits, with their units.
 *
 * @param inboxRevisions        revisions (and stream commands) the hub's inbox holds before the
 *                              apply thread's offers are dropped (the hub then catches up from the
 *                              store)
 * @param streamBufferResponses event responses one stream may have queued before its watchers
 *                              become victims (etcd's chanBufLen is 128)
 * @param streamControlReserve  extra room for created/canceled/progress responses
 * @param maxWatchersPerSync    unsynced watchers caught up per sync step (etcd: 512)
 * @param maxEventsPerSync      history events read per sync step, rounded up to a whole revision
 * @param syncIntervalMillis    how long the hub waits for work while some watcher is unsynced
 * @param idleWaitMillis        how long the hub waits for work when every watcher is synced
 * @param progressNotifyInterval how often an idle synced watcher with progress_notify hears the
 *                              revision (etcd's --watch-progress-notify-interval, default 10 m)
 * @param maxResponseBytes      a response larger than this is split when the watcher asked for
 *                              fragments (etcd: --max-request-bytes + 512 KiB gRPC overhead)
 */
public record WatchConfig(
        int inboxRevisions,
        int streamBufferResponses,
        int streamControlReserve,
        int maxWatchersPerSync,
        int maxEventsPerSync,
        long syncIntervalMillis,
        long idleWaitMillis,
        Duration progressNotifyInterval,
        long maxResponseBytes) {

    public static WatchConfig defaults() {
        return new WatchConfig(10_000, 128, 16, 512, 1_000, 100, 100, Duration.ofMinutes(10),
                (long) (1.5 * 1024 * 1024) + 512 * 1024);
    }

    public WatchConfig withProgressNotifyInterval(Duration interval) {
        return new WatchConfig(inboxRevisions, streamBufferResponses, streamControlReserve, maxWatchersPerSync,
                maxEventsPerSync, syncIntervalMillis, idleWaitMillis, interval, maxResponseBytes);
    }

    public WatchConfig withMaxResponseBytes(long bytes) {
        return new WatchConfig(inboxRevisions, streamBufferResponses, streamControlReserve, maxWatchersPerSync,
                maxEventsPerSync, syncIntervalMillis, idleWaitMillis, progressNotifyInterval, bytes);
    }

    public WatchConfig withStreamBuffer(int responses) {
        return new WatchConfig(inboxRevisions, responses, streamControlReserve, maxWatchersPerSync,
                maxEventsPerSync, syncIntervalMillis, idleWaitMillis, progressNotifyInterval, maxResponseBytes);
    }

    public WatchConfig withMaxEventsPerSync(int events) {
        return new WatchConfig(inboxRevisions, streamBufferResponses, streamControlReserve, maxWatchersPerSync,
                events, syncIntervalMillis, idleWaitMillis, progressNotifyInterval, maxResponseBytes);
    }
}
