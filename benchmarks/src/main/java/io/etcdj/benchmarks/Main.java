package io.etcdj.benchmarks;

import io.etcdj.benchmarks.cli.BenchmarkCommand;
import java.util.Arrays;
import java.util.logging.Level;
import java.util.logging.Logger;
import picocli.CommandLine;

/**
 * {@code bin/benchmark}. {@code bin/benchmark jmh [JMH options]} runs the JMH suites of this
 * module (e.g. {@code bin/benchmark jmh Wal -f 1 -wi 3 -i 5}); every other command is etcd's load
 * generator ({@code put}, {@code range}, {@code txn-put}; see {@link BenchmarkCommand}).
 */
public final class Main {

    /** Held so the level is not lost when the logger is garbage-collected. */
    private static final Logger GRPC_LOGGER = Logger.getLogger("io.grpc");

    private Main() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length >= 1 && args[0].equals("jmh")) {
            org.openjdk.jmh.Main.main(Arrays.copyOfRange(args, 1, args.length));
            return;
        }
        // grpc logs transport chatter at INFO to stderr, which would interleave with the report.
        GRPC_LOGGER.setLevel(Level.WARNING);
        CommandLine cli = new CommandLine(new BenchmarkCommand());
        cli.setExecutionExceptionHandler((e, cmd, parsed) -> {
            cmd.getErr().println("benchmark: " + e.getMessage());
            return 1;
        });
        System.exit(cli.execute(args));
    }
}
