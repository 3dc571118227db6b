package io.etcdj.benchmarks;

import java.util.Arrays;

/**
 * {@code bin/benchmark}. {@code bin/benchmark jmh [JMH options]} runs the JMH suites of this
 * module (e.g. {@code bin/benchmark jmh Wal -f 1 -wi 3 -i 5}). etcd's load generator commands
 * (put, range, txn-put, watch, watch-latency, lease-keepalive) arrive with issue 8.
 */
public final class Main {

    private Main() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length >= 1 && args[0].equals("jmh")) {
            org.openjdk.jmh.Main.main(Arrays.copyOfRange(args, 1, args.length));
            return;
        }
        System.err.println("usage: benchmark jmh [JMH options]   (load-generator commands: not built yet, issue 8)");
        System.exit(args.length == 0 ? 0 : 4);
    }
}
