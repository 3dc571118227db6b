package io.etcdj.benchmarks.cli;

import com.google.protobuf.ByteString;
import io.etcdj.api.etcdserverpb.KVGrpc;
import io.etcdj.api.etcdserverpb.PutRequest;
import io.etcdj.api.etcdserverpb.RequestOp;
import io.etcdj.api.etcdserverpb.TxnRequest;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

/**
 * {@code benchmark txn-put}: Txns of {@code --txn-ops} unconditional puts. The keys of one txn are
 * consecutive numbers from a random start, so they are distinct (etcd refuses a txn that puts the
 * same key twice) as long as the key space holds at least {@code --txn-ops} keys.
 */
@Command(name = "txn-put", mixinStandardHelpOptions = true, description = "Benchmark txn-put")
final class TxnPutCommand implements Runnable {

    @ParentCommand
    BenchmarkCommand root;

    @Option(names = "--key-size", defaultValue = "8", description = "Key size of txn put")
    int keySize;

    @Option(names = "--val-size", defaultValue = "8", description = "Value size of txn put")
    int valSize;

    @Option(names = "--txn-ops", defaultValue = "1", description = "Number of puts per txn")
    int txnOps;

    @Option(names = "--key-space-size", defaultValue = "1", description = "Maximum possible keys")
    int keySpaceSize;

    @Option(names = "--total", defaultValue = "10000", description = "Total number of txn requests")
    long total;

    @Option(names = "--rate", defaultValue = "0", description = "Maximum txns per second (0 is no limit)")
    double rate;

    @Option(names = "--seed", defaultValue = "1", description = "Seed of the random keys and value (etcdj)")
    long seed;

    /** etcd's default --max-txn-ops. */
    static final int MAX_TXN_OPS = 128;

    @Override
    public void run() {
        if (txnOps < 1 || txnOps > MAX_TXN_OPS) {
            throw new IllegalArgumentException("--txn-ops must be in [1, " + MAX_TXN_OPS + "]");
        }
        int space = Math.max(keySpaceSize, txnOps);
        Keys keys = new Keys(keySize, space, false);
        ByteString value = Keys.randomValue(valSize, seed);
        SplittableRandom[] perClient = Workers.randoms(root.clients, seed);
        root.runAndReport("txn-put", total, rate, (channel, client, seq) -> {
            long start = keys.numberFor(seq, perClient[client]);
            TxnRequest.Builder txn = TxnRequest.newBuilder();
            for (int j = 0; j < txnOps; j++) {
                ByteString key = keys.key((start + j) % space);
                txn.addSuccess(RequestOp.newBuilder()
                        .setRequestPut(PutRequest.newBuilder().setKey(key).setValue(value)));
            }
            KVGrpc.newBlockingStub(channel)
                    .withDeadlineAfter(LoadRunner.REQUEST_DEADLINE_SECS, TimeUnit.SECONDS)
                    .txn(txn.build());
        });
    }
}
