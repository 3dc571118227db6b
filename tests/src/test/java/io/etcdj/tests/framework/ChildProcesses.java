package io.etcdj.tests.framework;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Servers a test JVM started, stopped when that JVM ends even if it is terminated mid-test (a
 * cancelled build): a child process outlives its parent otherwise, and an orphaned etcd would keep
 * its ports and CPU on a shared machine. Tests still stop their servers themselves; this is the
 * backstop for when they cannot.
 */
public final class ChildProcesses {

    private static final Set<Process> LIVE = ConcurrentHashMap.newKeySet();

    static {
        Runtime.getRuntime().addShutdownHook(new Thread(() -> LIVE.forEach(Process::destroyForcibly),
                "stop-child-processes"));
    }

    private ChildProcesses() {
    }

    /** Tracks {@code process} until it exits. */
    public static Process track(Process process) {
        LIVE.add(process);
        process.onExit().thenRun(() -> LIVE.remove(process));
        return process;
    }
}
