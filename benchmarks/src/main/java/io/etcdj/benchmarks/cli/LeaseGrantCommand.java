package io.etcdj.benchmarks.cli;

import com.google.protobuf.ByteString;
import io.etcdj.api.etcdserverpb.KVGrpc;
import io.etcdj.api.etcdserverpb.LeaseGrantRequest;
import io.etcdj.api.etcdserverpb.LeaseGrpc;
import io.etcdj.api.etcdserverpb.PutRequest;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

/**
 * {@code benchmark lease-grant} (etcdj extension, not in etcd's tool): {@code --total} leases of
 * {@code --ttl} seconds, each optionally carrying one key {@code <--key-prefix><n>}; one request is
 * the grant plus that put. {@code compare.sh} uses it for memory per lease and for the put latency
 * while many leases expire at once.
 */
@Command(name = "lease-grant", mixinStandardHelpOptions = true,
        description = "Grant leases, each optionally with a key (etcdj extension)")
final class LeaseGrantCommand implements Runnable {

    @ParentCommand
    BenchmarkCommand root;

    @Option(names = "--total", defaultValue = "10000", description = "Total number of leases")
    long total;

    @Option(names = "--ttl", defaultValue = "60", description = "Lease TTL in seconds")
    long ttl;

    @Option(names = "--key-prefix", description = "Put one key <prefix><n> attached to lease n (default: no key)")
    String keyPrefix;

    @Option(names = "--val-size", defaultValue = "8", description = "Value size of the attached key")
    int valSize;

    @Option(names = "--rate", defaultValue = "0", description = "Maximum requests per second (0 is no limit)")
    double rate;

    @Override
    public void run() {
        if (ttl < 1) {
            throw new IllegalArgumentException("--ttl must be >= 1, got " + ttl);
        }
        ByteString value = Keys.randomValue(valSize, 11);
        LeaseGrantRequest grant = LeaseGrantRequest.newBuilder().setTTL(ttl).build();
        root.runAndReport("lease-grant", total, rate, (channel, client, seq) -> {
            long id = LeaseGrpc.newBlockingStub(channel)
                    .withDeadlineAfter(LoadRunner.REQUEST_DEADLINE_SECS, TimeUnit.SECONDS).leaseGrant(grant).getID();
            if (keyPrefix != null) {
                KVGrpc.newBlockingStub(channel).withDeadlineAfter(LoadRunner.REQUEST_DEADLINE_SECS, TimeUnit.SECONDS)
                        .put(PutRequest.newBuilder().setKey(ByteString.copyFromUtf8(keyPrefix + seq))
                                .setValue(value).setLease(id).build());
            }
        });
    }
}
