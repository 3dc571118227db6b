package io.etcdj.benchmarks.cli;

import com.google.protobuf.ByteString;
import io.etcdj.api.etcdserverpb.KVGrpc;
import io.etcdj.api.etcdserverpb.PutRequest;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

/** {@code benchmark put}: etcd's put load, one Put per request. */
@Command(name = "put", mixinStandardHelpOptions = true, description = "Benchmark put")
final class PutCommand implements Runnable {

    @ParentCommand
    BenchmarkCommand root;

    @Option(names = "--key-size", defaultValue = "8", description = "Key size of put request")
    int keySize;

    @Option(names = "--val-size", defaultValue = "8", description = "Value size of put request")
    int valSize;

    @Option(names = "--key-space-size", defaultValue = "1", description = "Maximum possible keys")
    int keySpaceSize;

    @Option(names = "--sequential-keys", arity = "0..1", fallbackValue = "true",
            description = "Use sequential keys")
    boolean sequentialKeys;

    @Option(names = "--total", defaultValue = "10000", description = "Total number of put requests")
    long total;

    @Option(names = "--rate", defaultValue = "0", description = "Maximum puts per second (0 is no limit)")
    double rate;

    @Option(names = "--seed", defaultValue = "1", description = "Seed of the random keys and value (etcdj)")
    long seed;

    @Override
    public void run() {
        Keys keys = new Keys(keySize, keySpaceSize, sequentialKeys);
        ByteString value = Keys.randomValue(valSize, seed);
        SplittableRandom[] perClient = Workers.randoms(root.clients, seed);
        root.runAndReport("put", total, rate, (channel, client, seq) -> {
            ByteString key = keys.key(keys.numberFor(seq, perClient[client]));
            KVGrpc.newBlockingStub(channel)
                    .withDeadlineAfter(LoadRunner.REQUEST_DEADLINE_SECS, TimeUnit.SECONDS)
                    .put(PutRequest.newBuilder().setKey(key).setValue(value).build());
        });
    }
}
