package io.etcdj.server.watch;

import io.etcdj.api.etcdserverpb.WatchResponse;
import java.util.ArrayList;
import java.util.List;

/**
 * etcd's watch fragmentation: a response over the size limit, for a watcher that asked for
 * fragments, goes out as several responses with the same header and watch id, each carrying some of
 * the events and {@code fragment=true} except the last. Without the option it goes out whole.
 */
final class Fragments {
    private Fragments() {
    }

    static List<WatchResponse> split(WatchResponse response, boolean fragment, long maxBytes) {
        if (!fragment || response.getEventsCount() <= 1 || response.getSerializedSize() <= maxBytes) {
            return List.of(response);
        }
        List<WatchResponse> parts = new ArrayList<>();
        WatchResponse.Builder current = response.toBuilder().clearEvents();
        long emptySize = current.build().getSerializedSize();
        long size = emptySize;
        for (var event : response.getEventsList()) {
            // Each event costs its bytes plus a tag and a length prefix of at most 1 + 5 bytes.
            long cost = event.getSerializedSize() + 6L;
            if (current.getEventsCount() > 0 && size + cost > maxBytes) {
                parts.add(current.setFragment(true).build());
                current = response.toBuilder().clearEvents();
                size = emptySize;
            }
            current.addEvents(event);
            size += cost;
        }
        parts.add(current.setFragment(false).build());
        return List.copyOf(parts);
    }
}
