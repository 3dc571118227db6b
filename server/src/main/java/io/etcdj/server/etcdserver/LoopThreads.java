package io.etcdj.server.etcdserver;

import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Stopping the member's own loop threads (raft, apply) without interrupting them. Both do file
 * I/O through {@code FileChannel}, which is interruptible: an interrupt during a WAL fsync or a
 * snapshot write closes the channel and fails the write, which the loop must treat as a storage
 * failure and report as fatal. So a stop clears the loop's running flag (done by the caller),
 * wakes it with a no-op so it sees the flag at once, and waits; only a loop that has not ended in
 * time is interrupted, as a last resort.
 */
final class LoopThreads {
    private static final Logger log = LoggerFactory.getLogger(LoopThreads.class);
    private static final long GRACE_MILLIS = TimeUnit.SECONDS.toMillis(10);
    private static final long AFTER_INTERRUPT_MILLIS = TimeUnit.SECONDS.toMillis(1);

    private LoopThreads() {
    }

    /** Wakes {@code thread} with {@code wake}, waits for it to end; interrupts it only if it does not. */
    static void stop(Thread thread, Runnable wake) {
        wake.run();
        try {
            thread.join(GRACE_MILLIS);
            if (thread.isAlive()) {
                log.atWarn().log("{} did not stop within {} ms; interrupting it", thread.getName(), GRACE_MILLIS);
                thread.interrupt();
                thread.join(AFTER_INTERRUPT_MILLIS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
