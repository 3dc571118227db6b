package io.etcdj.benchmarks.cli;

import io.etcdj.benchmarks.report.ReportPrinter;
import io.etcdj.benchmarks.report.Stats;
import io.etcdj.client.ChannelPool;
import io.etcdj.client.Endpoints;
import java.io.PrintStream;
import java.time.Duration;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ScopeType;

/** The root command: global flags shared by every load generator, as in etcd's benchmark. */
@Command(name = "benchmark", mixinStandardHelpOptions = true,
        description = "A low-level benchmark tool for etcd (and etcdj) v3 servers.",
        subcommands = {PutCommand.class, RangeCommand.class, TxnPutCommand.class})
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

    /** Upper bound on workers, so a typo cannot start a million threads. */
    static final int MAX_CLIENTS = 100_000;

    @Override
    public void run() {
        throw new picocli.CommandLine.ParameterException(
                new picocli.CommandLine(this), "missing command: put, range or txn-put (or jmh)");
    }

    /** Opens the connections, runs {@code request} {@code total} times and prints the report. */
    void runAndReport(String workload, long total, double rate, LoadRunner.Request request) {
        if (clients < 1 || clients > MAX_CLIENTS) {
            throw new IllegalArgumentException("--clients must be in [1, " + MAX_CLIENTS + "]");
        }
        if (total < 1 || total > LoadRunner.MAX_TOTAL) {
            throw new IllegalArgumentException("--total must be in [1, " + LoadRunner.MAX_TOTAL + "]");
        }
        Duration dial = Duration.ofSeconds(dialTimeoutSecs > 0 ? dialTimeoutSecs : 10);
        try (ChannelPool pool = ChannelPool.open(Endpoints.parse(endpoints), conns)) {
            LoadRunner.awaitReady(pool, dial);
            Stats stats = new LoadRunner(pool, clients, total, rate, System.err).run(workload, request);
            PrintStream out = System.out;
            if (json) {
                out.println(ReportPrinter.json(workload, stats));
            } else {
                ReportPrinter.printText(stats, precise, out);
            }
            out.flush();
        }
    }
}
