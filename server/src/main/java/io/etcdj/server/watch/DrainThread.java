package io.etcdj.server.watch;

import java.util.concurrent.locks.LockSupport;

/**
 * Where a watch stream's drains run: tasks handed here run one at a time (the sender never has two
 * outstanding), now or after a delay, on the thread that may call the stream's observer. In the
 * server that is the stream's event loop; in-process streams use short-lived virtual threads.
 */
public interface DrainThread {

    /** Runs the task soon. */
    void run(Runnable task);

    /** Runs the task once {@code delayNanos} have passed. */
    void runLater(Runnable task, long delayNanos);

    /** The clock delays are measured on. */
    default long nanoTime() {
        return System.nanoTime();
    }

    /** Each task on a virtual thread of its own (for streams read in-process, not by a socket). */
    static DrainThread virtualThreads(String name) {
        return new DrainThread() {
            @Override
            public void run(Runnable task) {
                Thread.ofVirtual().name(name).start(task);
            }

            @Override
            public void runLater(Runnable task, long delayNanos) {
                Thread.ofVirtual().name(name).start(() -> {
                    LockSupport.parkNanos(delayNanos); // may wake early: the drain then waits again
                    task.run();
                });
            }
        };
    }
}
