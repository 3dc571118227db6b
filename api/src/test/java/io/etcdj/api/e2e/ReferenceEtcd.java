package io.etcdj.api.e2e;

import com.google.protobuf.ByteString;
import io.etcdj.api.etcdserverpb.KVGrpc;
import io.etcdj.api.etcdserverpb.RangeRequest;
import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * The real etcd (the Debian package, /usr/bin/etcd), as one single-member cluster on free loopback
 * ports in a temporary data dir. It exists so tests can hold our generated stubs against the
 * implementation that defines the protocol.
 */
final class ReferenceEtcd implements AutoCloseable {
  static final Path BINARY = Path.of(System.getProperty("etcdj.referenceEtcd", "/usr/bin/etcd"));
  static final String NAME = "t";

  private final Path dataRoot;
  private final Process process;
  private final long pid;
  final int clientPort;
  final int peerPort;
  final ManagedChannel channel;

  private ReferenceEtcd(Path dataRoot, Process process, int clientPort, int peerPort) {
    this.dataRoot = dataRoot;
    this.process = process;
    this.pid = process.pid();
    this.clientPort = clientPort;
    this.peerPort = peerPort;
    this.channel = ManagedChannelBuilder.forAddress("127.0.0.1", clientPort).usePlaintext().build();
  }

  static ReferenceEtcd start() throws IOException {
    Path root = Files.createTempDirectory("etcdj-reference-etcd");
    int client = freePort();
    int peer = freePort();
    String clientUrl = clientUrl(client);
    String peerUrl = "http://127.0.0.1:" + peer;
    List<String> command = List.of(BINARY.toString(), "--name", NAME,
        "--data-dir", root.resolve("data").toString(),
        "--listen-client-urls", clientUrl, "--advertise-client-urls", clientUrl,
        "--listen-peer-urls", peerUrl, "--initial-advertise-peer-urls", peerUrl,
        "--initial-cluster", NAME + "=" + peerUrl);
    // Output goes to a file: an unread pipe would eventually block etcd's logger.
    Process process = new ProcessBuilder(command).redirectErrorStream(true)
        .redirectOutput(root.resolve("etcd.log").toFile()).start();
    // A child outlives a terminated test JVM; stop it with the JVM (tests still close it first).
    Runtime.getRuntime().addShutdownHook(new Thread(process::destroyForcibly));
    return new ReferenceEtcd(root, process, client, peer);
  }

  /**
   * Blocks until etcd answers a linearizable read, which needs an elected leader, or fails after
   * {@code timeoutSeconds}. Each attempt waits for the channel itself (waitForReady), so the loop
   * only repeats on real answers such as "no leader", never spins on a closed port.
   */
  void awaitServing(long timeoutSeconds) {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(timeoutSeconds);
    io.grpc.StatusRuntimeException last = null;
    while (System.nanoTime() < deadline && process.isAlive()) {
      try {
        KVGrpc.newBlockingStub(channel).withWaitForReady()
            .withDeadlineAfter(deadline - System.nanoTime(), TimeUnit.NANOSECONDS)
            .range(RangeRequest.newBuilder().setKey(ByteString.copyFromUtf8("ready")).build());
        return;
      } catch (io.grpc.StatusRuntimeException e) {
        // Only "not yet" answers are worth another attempt; anything else is a real failure.
        io.grpc.Status.Code code = e.getStatus().getCode();
        if (code != io.grpc.Status.Code.UNAVAILABLE && code != io.grpc.Status.Code.DEADLINE_EXCEEDED) {
          throw e;
        }
        last = e;
      }
    }
    throw new IllegalStateException("reference etcd not serving within " + timeoutSeconds
        + " s (alive=" + process.isAlive() + ", log " + log() + ")", last);
  }

  static String clientUrl(int port) {
    return "http://127.0.0.1:" + port;
  }

  String peerUrl() {
    return "http://127.0.0.1:" + peerPort;
  }

  Path log() {
    return dataRoot.resolve("etcd.log");
  }

  boolean isAlive() {
    return process.isAlive();
  }

  private static int freePort() throws IOException {
    // The port is free when we look; etcd binds it moments later. A collision fails the start
    // loudly (etcd exits), it cannot make a test pass wrongly.
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    }
  }

  /** Ends exactly the process this object started, by its PID, then removes its data dir. */
  @Override
  public void close() throws IOException {
    channel.shutdownNow();
    ProcessHandle.of(pid).ifPresent(ProcessHandle::destroy);
    try {
      if (!process.waitFor(10, TimeUnit.SECONDS)) {
        ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly);
        process.waitFor(10, TimeUnit.SECONDS);
      }
      channel.awaitTermination(5, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } finally {
      deleteTree(dataRoot);
    }
  }

  private static void deleteTree(Path root) throws IOException {
    try (Stream<Path> paths = Files.walk(root)) {
      for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(path);
      }
    }
  }
}
