package io.etcdj.server.watch;

import io.etcdj.api.etcdserverpb.ResponseHeader;
import io.etcdj.api.etcdserverpb.WatchResponse;
import io.etcdj.api.mvccpb.Event;
import io.etcdj.server.mvcc.ChangeListener;
import io.etcdj.server.mvcc.History;
import io.etcdj.server.mvcc.MvccStore;
import io.etcdj.server.storage.backend.Backend;
import io.grpc.stub.StreamObserver;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongFunction;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The member's watch hub: one thread owning {@link WatchCore}, fed through one bounded inbox by the
 * apply thread (revisions) and by gRPC threads (stream commands). See the package doc for the flow.
 */
public final class WatchHub implements ChangeListener, AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(WatchHub.class);
    /** Progress notifications are checked this often at most (a walk over every synced watcher). */
    private static final long TICK_EVERY_NANOS = TimeUnit.MILLISECONDS.toNanos(100);

    private final WatchConfig config;
    private final MvccStore store;
    private final WatchCore core;
    private final LongSupplier nanoClock;
    /** Work for the hub thread, at most config.inboxRevisions() items. */
    private final BlockingQueue<Runnable> inbox;
    /** Closes that found the inbox full; at most one per open stream. */
    private final Queue<WatchStreamState> lateCloses = new ConcurrentLinkedQueue<>();
    private final AtomicLong droppedRevisions = new AtomicLong();
    private final AtomicLong streamCount = new AtomicLong();
    private final Thread thread;
    private volatile boolean running = true;
    /** Hub thread only. */
    private long lastTickNanos;

    private WatchHub(MvccStore store, History history, LongFunction<ResponseHeader> header, WatchConfig config,
            LongSupplier nanoClock) {
        this.config = config;
        this.store = store;
        this.nanoClock = nanoClock;
        this.inbox = new ArrayBlockingQueue<>(config.inboxRevisions());
        store.addChangeListener(this); // before reading the revision: nothing falls between the two
        this.core = new WatchCore(HistorySource.of(history), header, config, store.currentRevision());
        this.thread = Thread.ofPlatform().name("watch-hub").daemon(true).start(this::run);
    }

    /** Starts a hub on the member's store; {@code header} makes a response header for a revision. */
    public static WatchHub start(MvccStore store, Backend backend, LongFunction<ResponseHeader> header,
            WatchConfig config, LongSupplier nanoClock) {
        return new WatchHub(store, new History(store, backend), header, config, nanoClock);
    }

    /** Apply thread: never blocks; a full inbox drops the revision and the hub catches up later. */
    @Override
    public void onRevision(long revision, List<Event> events) {
        if (core.stats().watchers() == 0) {
            // Nobody to tell: skip the hub thread's wake-up (one per write otherwise). A watcher
            // created meanwhile starts from the store's revision, and the hub's idle skipTo (or
            // the gap seen at the next revision) catches up anything it could have missed.
            return;
        }
        if (!inbox.offer(() -> core.onRevision(revision, events, nanoClock.getAsLong()))) {
            droppedRevisions.incrementAndGet();
        }
    }

    /**
     * A new watch stream whose responses go to {@code observer} from drains on {@code thread}; the
     * RPC layer passes the stream's event loop.
     */
    public HubStream openStream(StreamObserver<WatchResponse> observer, DrainThread thread) {
        StreamSender sender = new StreamSender(observer, config, thread, core.stats());
        WatchStreamState state = new WatchStreamState(sender);
        HubStream stream = new HubStream(this, state, sender);
        if (!submit(() -> core.addStream(state))) {
            sender.fail(new IllegalStateException("watch hub overloaded"));
        }
        return stream;
    }

    /** A stream for in-process callers: its responses arrive on short-lived virtual threads. */
    public HubStream openStream(StreamObserver<WatchResponse> observer) {
        return openStream(observer, DrainThread.virtualThreads("watch-stream-" + streamCount.incrementAndGet()));
    }

    /** Live figures for the watch metrics. */
    public WatchStats stats() {
        return core.stats();
    }

    /** Revisions the apply thread could not hand over (the hub caught up from the store instead). */
    public long droppedRevisions() {
        return droppedRevisions.get();
    }

    WatchCore core() {
        return core;
    }

    long now() {
        return nanoClock.getAsLong();
    }

    boolean submit(Runnable command) {
        return running && inbox.offer(command);
    }

    void closeLater(WatchStreamState state) {
        if (!submit(() -> core.closeStream(state))) {
            lateCloses.add(state);
        }
    }

    private void run() {
        while (running) {
            try {
                long waitMillis = core.unsyncedCount() > 0 ? config.syncIntervalMillis() : config.idleWaitMillis();
                Runnable first = inbox.poll(waitMillis, TimeUnit.MILLISECONDS);
                if (first == null) {
                    core.skipTo(store.currentRevision()); // idle yet behind: the inbox dropped revisions
                } else {
                    first.run();
                    for (int i = 0; i < config.inboxRevisions(); i++) {
                        Runnable next = inbox.poll();
                        if (next == null) {
                            break;
                        }
                        next.run();
                    }
                }
                for (WatchStreamState late; (late = lateCloses.poll()) != null; ) {
                    core.closeStream(late);
                }
                long now = nanoClock.getAsLong();
                core.sync(now);
                if (now - lastTickNanos >= TICK_EVERY_NANOS) {
                    lastTickNanos = now;
                    core.tick(now);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } catch (RuntimeException e) {
                log.atError().setCause(e).log("watch hub step failed: {}", e.getMessage());
            }
        }
    }

    /** Stops the hub thread; open streams end when their calls do. */
    @Override
    public void close() {
        running = false;
        thread.interrupt();
        try {
            thread.join(TimeUnit.SECONDS.toMillis(5));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
