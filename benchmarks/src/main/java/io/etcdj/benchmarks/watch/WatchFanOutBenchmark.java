package io.etcdj.benchmarks.watch;

import com.google.protobuf.ByteString;
import io.etcdj.api.etcdserverpb.ResponseHeader;
import io.etcdj.api.etcdserverpb.WatchCreateRequest;
import io.etcdj.api.etcdserverpb.WatchResponse;
import io.etcdj.api.mvccpb.Event;
import io.etcdj.api.mvccpb.KeyValue;
import io.etcdj.server.mvcc.MvccStore;
import io.etcdj.server.storage.backend.Backend;
import io.etcdj.server.storage.backend.BackendConfig;
import io.etcdj.server.watch.HubStream;
import io.etcdj.server.watch.WatchConfig;
import io.etcdj.server.watch.WatchHub;
import io.grpc.stub.StreamObserver;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * Watch fan-out inside the server: {@code watchers} synced watchers of one key, spread over
 * {@code streams} hub streams; one operation hands the hub one revision with one put event of that
 * key (as the apply thread does) and returns when every watcher's response has been passed to its
 * stream's observer by the stream's sender thread. Events delivered per second = ops/s x watchers.
 * The observers only count (no gRPC, no network): this is the hub's matching, response building
 * and hand-off to the per-stream senders.
 *
 * <pre>bin/benchmark jmh WatchFanOut -f 1 -wi 3 -i 5</pre>
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class WatchFanOutBenchmark {

    /** No single delivery may take this long; a stuck hub fails the run instead of hanging it. */
    static final long DELIVERY_TIMEOUT_NANOS = TimeUnit.SECONDS.toNanos(30);

    @Param({"1000", "10000"})
    public int watchers;

    @Param({"100"})
    public int streams;

    private Path dir;
    private Backend backend;
    private MvccStore store;
    private WatchHub hub;
    private final List<HubStream> open = new ArrayList<>();
    private final AtomicLong created = new AtomicLong();
    private final AtomicLong delivered = new AtomicLong();
    private final ByteString key = ByteString.copyFromUtf8("fan-out/key");
    private final ByteString value = ByteString.copyFrom(new byte[256]);
    private long revision;
    private long expected;

    @Setup(Level.Trial)
    public void open() throws IOException {
        if (watchers % streams != 0) {
            throw new IllegalArgumentException("watchers must be a multiple of streams");
        }
        dir = Files.createTempDirectory("watch-fanout");
        backend = Backend.open(BackendConfig.defaults(dir.resolve("member/snap/db")));
        store = MvccStore.open(backend);
        hub = WatchHub.start(store, backend, rev -> ResponseHeader.newBuilder().setRevision(rev).build(),
                WatchConfig.defaults(), System::nanoTime);
        WatchCreateRequest create = WatchCreateRequest.newBuilder().setKey(key).build();
        for (int s = 0; s < streams; s++) {
            HubStream stream = hub.openStream(new Counting());
            open.add(stream);
            for (int w = 0; w < watchers / streams; w++) {
                stream.create(create);
            }
            // One stream at a time, so the creates never outrun the hub's bounded inbox.
            await(created, (long) (s + 1) * (watchers / streams));
        }
        revision = store.currentRevision();
    }

    @TearDown(Level.Trial)
    public void close() throws IOException {
        open.forEach(HubStream::close);
        hub.close();
        store.close();
        backend.close();
        try (var paths = Files.walk(dir)) {
            for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        } catch (UncheckedIOException e) {
            throw e.getCause();
        }
    }

    @Benchmark
    public long deliverOneRevision() {
        revision++;
        KeyValue kv = KeyValue.newBuilder().setKey(key).setValue(value).setCreateRevision(1)
                .setModRevision(revision).setVersion(revision).build();
        expected += watchers;
        hub.onRevision(revision, List.of(Event.newBuilder().setType(Event.EventType.PUT).setKv(kv).build()));
        await(delivered, expected);
        return revision;
    }

    private static void await(AtomicLong counter, long target) {
        long deadline = System.nanoTime() + DELIVERY_TIMEOUT_NANOS;
        while (counter.get() < target) {
            if (System.nanoTime() - deadline > 0) {
                throw new IllegalStateException("watch hub delivered " + counter.get() + " of " + target);
            }
            Thread.onSpinWait();
        }
    }

    /** Counts created responses and event responses; stands in for a gRPC stream. */
    private final class Counting implements StreamObserver<WatchResponse> {
        @Override
        public void onNext(WatchResponse r) {
            if (r.getCreated()) {
                created.incrementAndGet();
            } else if (r.getEventsCount() > 0) {
                delivered.incrementAndGet();
            }
        }

        @Override
        public void onError(Throwable t) {
            throw new IllegalStateException("watch stream failed", t);
        }

        @Override
        public void onCompleted() {
        }
    }
}
