package io.etcdj.tests.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.etcd.jetcd.ByteSequence;
import io.etcd.jetcd.Client;
import io.etcd.jetcd.Watch;
import io.etcd.jetcd.options.WatchOption;
import io.etcd.jetcd.watch.WatchEvent;
import io.etcd.jetcd.watch.WatchResponse;
import io.etcdj.tests.framework.SpawnedEtcd;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * jetcd (the Java etcd client) watching {@code bin/etcd}: history replay with prev_kv, live events,
 * and RequestProgress answered with the revision of the last event once the watcher is level.
 */
@Tag("e2e")
class WatchJetcdE2eTest {
    private static final long TIMEOUT_SECONDS = 30;

    @TempDir
    Path workDir;

    @Test
    void replayThenLiveThenProgressAtTheLastRevision() throws Exception {
        String[] clientUrl = new String[1];
        try (AutoCloseable server = startServer(workDir, clientUrl);
                Client client = Client.builder().endpoints(clientUrl[0]).build()) {
            long first = client.getKVClient().put(bytes("j/a"), bytes("1")).get(TIMEOUT_SECONDS, TimeUnit.SECONDS)
                    .getHeader().getRevision();
            client.getKVClient().put(bytes("j/a"), bytes("2")).get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
            BlockingQueue<WatchResponse> responses = new LinkedBlockingQueue<>(1_000);
            WatchOption option = WatchOption.builder().isPrefix(true).withRevision(first).withPrevKV(true).build();
            try (Watch.Watcher watcher = client.getWatchClient().watch(bytes("j/"), option, responses::offer)) {
                List<WatchEvent> events = new ArrayList<>(eventsOf(responses, 2));
                long last = client.getKVClient().put(bytes("j/b"), bytes("3")).get(TIMEOUT_SECONDS, TimeUnit.SECONDS)
                        .getHeader().getRevision();
                events.addAll(eventsOf(responses, 1));

                assertThat(events).extracting(e -> e.getKeyValue().getValue().toString(StandardCharsets.UTF_8))
                        .containsExactly("1", "2", "3");
                assertThat(events.get(1).getPrevKV().getValue().toString(StandardCharsets.UTF_8)).isEqualTo("1");
                assertThat(events.get(2).getKeyValue().getModRevision()).isEqualTo(last);

                client.getWatchClient().requestProgress();
                WatchResponse progress = responses.poll(TIMEOUT_SECONDS, TimeUnit.SECONDS);
                assertThat(progress).as("progress response").isNotNull();
                assertThat(progress.isProgressNotify()).isTrue();
                assertThat(progress.getHeader().getRevision()).isEqualTo(last);
            }
        }
    }

    /** The server under test; {@link WatchJetcdReferenceE2eTest} starts the real etcd instead. */
    AutoCloseable startServer(Path dir, String[] clientUrl) {
        SpawnedEtcd etcd = SpawnedEtcd.start(dir);
        clientUrl[0] = etcd.clientUrl();
        return etcd;
    }

    private static List<WatchEvent> eventsOf(BlockingQueue<WatchResponse> responses, int n) throws InterruptedException {
        List<WatchEvent> out = new ArrayList<>();
        while (out.size() < n) {
            WatchResponse r = responses.poll(TIMEOUT_SECONDS, TimeUnit.SECONDS);
            assertThat(r).as("watch response %d of %d", out.size() + 1, n).isNotNull();
            out.addAll(r.getEvents());
        }
        return out;
    }

    private static ByteSequence bytes(String s) {
        return ByteSequence.from(s, StandardCharsets.UTF_8);
    }
}
