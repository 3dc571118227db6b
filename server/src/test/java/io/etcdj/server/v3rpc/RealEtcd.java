package io.etcdj.server.v3rpc;

import com.google.protobuf.ByteString;
import io.etcdj.api.etcdserverpb.KVGrpc;
import io.etcdj.api.etcdserverpb.RangeRequest;
import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * The real etcd (/usr/bin/etcd, 3.4) as a fresh single-member cluster on free loopback ports in
 * a temp dir: the oracle for the differential tests. Stopped by the PID it started.
 */
final class RealEtcd implements AutoCloseable {
    static final Path BINARY = Path.of(System.getProperty("etcdj.referenceEtcd", "/usr/bin/etcd"));

    private final Path root;
    private final Process process;
    final ManagedChannel channel;

    private RealEtcd(Path root, Process process, int clientPort) {
        this.root = root;
        this.process = process;
        this.channel = ManagedChannelBuilder.forAddress("127.0.0.1", clientPort).usePlaintext().build();
    }

    static RealEtcd start() throws IOException {
        Path root = Files.createTempDirectory("etcdj-kv-real-etcd");
        int client = freePort();
        int peer = freePort();
        String clientUrl = "http://127.0.0.1:" + client;
        String peerUrl = "http://127.0.0.1:" + peer;
        List<String> command = List.of(BINARY.toString(), "--name", "kv",
                "--data-dir", root.resolve("data").toString(),
                "--listen-client-urls", clientUrl, "--advertise-client-urls", clientUrl,
                "--listen-peer-urls", peerUrl, "--initial-advertise-peer-urls", peerUrl,
                "--initial-cluster", "kv=" + peerUrl);
        Process process = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(root.resolve("etcd.log").toFile()).start();
        RealEtcd etcd = new RealEtcd(root, process, client);
        etcd.awaitServing(60);
        return etcd;
    }

    /** Until a linearizable read answers (a leader exists); each try waits for the channel itself. */
    private void awaitServing(long seconds) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        StatusRuntimeException last = null;
        while (System.nanoTime() < deadline && process.isAlive()) {
            try {
                KVGrpc.newBlockingStub(channel).withWaitForReady()
                        .withDeadlineAfter(deadline - System.nanoTime(), TimeUnit.NANOSECONDS)
                        .range(RangeRequest.newBuilder().setKey(ByteString.copyFromUtf8("ready")).build());
                return;
            } catch (StatusRuntimeException e) {
                if (e.getStatus().getCode() != Status.Code.UNAVAILABLE
                        && e.getStatus().getCode() != Status.Code.DEADLINE_EXCEEDED) {
                    throw e;
                }
                last = e;
            }
        }
        throw new IllegalStateException("etcd not serving within " + seconds + " s; log " + root.resolve("etcd.log"),
                last);
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    @Override
    public void close() throws Exception {
        channel.shutdownNow();
        long pid = process.pid();
        ProcessHandle.of(pid).ifPresent(ProcessHandle::destroy);
        if (!process.waitFor(10, TimeUnit.SECONDS)) {
            ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly);
            process.waitFor(10, TimeUnit.SECONDS);
        }
        try (Stream<Path> paths = Files.walk(root)) {
            for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }
}
