package io.etcdj.benchmarks.cli;

import io.etcdj.benchmarks.report.ReportPrinter;
import io.etcdj.benchmarks.report.Stats;
import io.etcdj.client.ChannelPool;
import java.io.PrintStream;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ScopeType;

/** The root command: global flags shared by every load generator, as in etcd's benchmark. */
@Command(name = "benchmark", mixinStandardHelpOptions = true,
        description = "A low-level benchmark tool for etcd (and etcdj) v3 servers.",
        subcommands = {PutCommand.class, RangeCommand.class, TxnPutCommand.class, WatchCommand.class,
            WatchLatencyCommand.class, LeaseKeepaliveCommand.class, LeaseGrantCommand.class})
public final class BenchmarkCommand implements Runnable {

    @Option(names = "--endpoints", scope = ScopeType.INHERIT, defaultValue = "127.0.0.1:2379",
            description = "gRPC endpoints, comma-separated (default: ${DEFAULT-VALUE})")
    String endpoints;

    @Option(names = "--clients", scope = ScopeType.INHERIT, defaultValue = "1",
            description = "Total number of gRPC clients (default: ${DEFAULT-VALUE})")
    int clients;

    @Option(names = "--conns", scope = ScopeType.INHERIT, defaultValue = "1",
            description = "Total number of gRPC connections (default: ${DEFAULT-VALUE})")
    int conns;

    @Option(names = "--dial-timeout", scope = ScopeType.INHERIT, defaultValue = "0",
            description = "Seconds to wait for the connections to be ready; 0 means 10 s")
    int dialTimeoutSecs;

    @Option(names = "--precise", scope = ScopeType.INHERIT, arity = "0..1", fallbackValue = "true",
            description = "Use full precision (8 decimals) in the text report")
    boolean precise;

    @Option(names = "--json", scope = ScopeType.INHERIT, arity = "0..1", fallbackValue = "true",
            description = "Print one JSON object instead of the text report (etcdj extension)")
    boolean json;

    @Option(names = "--cacert", scope = ScopeType.INHERIT,
            description = "Verify certificates of TLS-enabled servers using this CA bundle")
    String caCert;

    @Option(names = "--cert", scope = ScopeType.INHERIT,
            description = "Identify the TLS client using this certificate file")
    String cert;

    @Option(names = "--key", scope = ScopeType.INHERIT, description = "Identify the TLS client using this key file")
    String key;

    @Option(names = "--user", scope = ScopeType.INHERIT, description = "username:password for authentication")
    String user;

    /** Upper bound on workers, so a typo cannot start a million threads. */
    static final int MAX_CLIENTS = 100_000;

    @Override
    public void run() {
        throw new picocli.CommandLine.ParameterException(
                new picocli.CommandLine(this), "missing command: put, range, txn-put, watch, watch-latency, lease-keepalive, lease-grant (or jmh)");
    }

    /** Opens the connections, runs {@code request} {@code total} times and prints the report. */
    void runAndReport(String workload, long total, double rate, LoadRunner.Request request) {
        runAndReport(workload, total, rate, pool -> { }, request);
    }

    /** As above, with {@code setup} run on the open pool before the clock starts. */
    void runAndReport(String workload, long total, double rate, java.util.function.Consumer<ChannelPool> setup,
            LoadRunner.Request request) {
        if (clients < 1 || clients > MAX_CLIENTS) {
            throw new IllegalArgumentException("--clients must be in [1, " + MAX_CLIENTS + "]");
        }
        if (total < 1 || total > LoadRunner.MAX_TOTAL) {
            throw new IllegalArgumentException("--total must be in [1, " + LoadRunner.MAX_TOTAL + "]");
        }
        try (ChannelPool pool = openPool(conns)) {
            setup.accept(pool);
            Stats stats = new LoadRunner(pool, clients, total, rate, System.err).run(workload, request);
            report(workload, new LinkedHashMap<>(Map.of(workload, stats)), null);
        }
    }

    /** Dials {@code n} connections with the global TLS and auth settings; the caller closes it. */
    ChannelPool openPool(int n) {
        Duration dial = Duration.ofSeconds(dialTimeoutSecs > 0 ? dialTimeoutSecs : 10);
        return Dial.open(Dial.Settings.of(endpoints, caCert, cert, key, user), n, dial);
    }

    /**
     * Prints the phases of one command in order: text as etcd does (each phase under its title,
     * e.g. "Watch creation summary:"), or one JSON object whose top level is the {@code primary}
     * phase (the last one when null) and whose {@code phases} hold all of them.
     */
    void report(String workload, LinkedHashMap<String, Stats> phases, String primary) {
        PrintStream out = System.out;
        if (json) {
            out.println(ReportPrinter.json(workload, phases, primary));
        } else if (phases.size() == 1) {
            ReportPrinter.printText(phases.values().iterator().next(), precise, out);
        } else {
            for (Map.Entry<String, Stats> e : phases.entrySet()) {
                out.print("\n" + e.getKey() + ":");
                ReportPrinter.printText(e.getValue(), precise, out);
            }
        }
        out.flush();
    }
}
