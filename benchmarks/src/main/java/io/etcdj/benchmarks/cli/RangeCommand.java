package io.etcdj.benchmarks.cli;

import com.google.protobuf.ByteString;
import io.etcdj.api.etcdserverpb.KVGrpc;
import io.etcdj.api.etcdserverpb.RangeRequest;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/** {@code benchmark range key [end_range]}: the same Range, {@code --total} times. */
@Command(name = "range", mixinStandardHelpOptions = true, description = "Benchmark range")
final class RangeCommand implements Runnable {

    @ParentCommand
    BenchmarkCommand root;

    @Parameters(index = "0", description = "key")
    String key;

    @Parameters(index = "1", arity = "0..1", description = "end of the range (exclusive)")
    String end;

    @Option(names = "--consistency", defaultValue = "l", description = "Linearizable (l) or Serializable (s)")
    String consistency;

    @Option(names = "--limit", defaultValue = "0", description = "Maximum number of results (0 is no limit)")
    long limit;

    @Option(names = "--total", defaultValue = "10000", description = "Total number of range requests")
    long total;

    @Option(names = "--rate", defaultValue = "0", description = "Maximum range requests per second (0 is no limit)")
    double rate;

    @Override
    public void run() {
        if (!consistency.equals("l") && !consistency.equals("s")) {
            throw new IllegalArgumentException("unknown consistency flag '" + consistency + "'");
        }
        RangeRequest.Builder b = RangeRequest.newBuilder()
                .setKey(ByteString.copyFromUtf8(key))
                .setLimit(limit)
                .setSerializable(consistency.equals("s"));
        if (end != null) {
            b.setRangeEnd(ByteString.copyFromUtf8(end));
        }
        // Built once: the request is immutable, so every call sends the same bytes.
        RangeRequest request = b.build();
        root.runAndReport("range", total, rate, (channel, client, seq) ->
                KVGrpc.newBlockingStub(channel)
                        .withDeadlineAfter(LoadRunner.REQUEST_DEADLINE_SECS, TimeUnit.SECONDS)
                        .range(request));
    }
}
