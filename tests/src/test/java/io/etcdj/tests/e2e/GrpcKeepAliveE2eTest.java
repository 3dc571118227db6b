package io.etcdj.tests.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.etcdj.tests.framework.RawHttp2;
import io.etcdj.tests.framework.RawHttp2.Frame;
import io.etcdj.tests.framework.SpawnedEtcd;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code --grpc-keepalive-interval} and {@code --grpc-keepalive-timeout}: the member pings a client
 * connection that has been silent for the interval and closes it when the client stays silent for
 * the timeout after the PING; a client that answers its PINGs keeps the connection. And the ping
 * policy ({@code --grpc-keepalive-min-time}): a client with no stream open that pings a fourth time
 * within two hours gets GOAWAY ENHANCE_YOUR_CALM "too_many_pings"; three pings are tolerated. Raw
 * HTTP/2, so the test decides which frames are sent and answered. Also run against the reference
 * etcd ({@link GrpcKeepAliveReferenceE2eTest}).
 */
@Tag("e2e")
class GrpcKeepAliveE2eTest {
    private static final String[] ONE_SECOND = {"--grpc-keepalive-interval", "1s", "--grpc-keepalive-timeout", "1s"};
    private static final int READ_TIMEOUT_MS = 10_000;
    private static final long ANSWERING_NANOS = 5_000_000_000L;
    private static final int MAX_FRAMES = 100;
    private static final int QUIET_MS = 1_500;
    private static final long ENHANCE_YOUR_CALM = 0xb;

    @TempDir
    Path workDir;

    record Server(int port, AutoCloseable process) {
    }

    Server startServer(Path dir, String... args) {
        SpawnedEtcd etcd = SpawnedEtcd.start(dir, args);
        return new Server(etcd.clientPort(), etcd);
    }

    @Test
    void aClientThatNeverAnswersIsPingedThenDisconnected() throws Exception {
        Server server = startServer(workDir, ONE_SECOND);
        try (AutoCloseable process = server.process(); RawHttp2 client = RawHttp2.connect(server.port(), READ_TIMEOUT_MS)) {
            List<String> seen = new ArrayList<>();
            boolean pinged = false;
            Frame frame;
            for (int n = 0; n < MAX_FRAMES && (frame = client.read()) != null; n++) {
                seen.add(frame.type() + (frame.isAck() ? "/ack" : ""));
                if (frame.type() == RawHttp2.SETTINGS && !frame.isAck()) {
                    client.send(RawHttp2.SETTINGS, RawHttp2.FLAG_ACK, 0, new byte[0]); // the only answer it ever gives
                }
                pinged |= frame.type() == RawHttp2.PING && !frame.isAck();
            }
            assertThat(pinged).as("a PING before the close; frames seen: %s", seen).isTrue();
            assertThat(client.read()).as("the connection is closed").isNull();
        }
    }

    @Test
    void aClientThatAnswersItsPingsKeepsTheConnection() throws Exception {
        Server server = startServer(workDir, ONE_SECOND);
        try (AutoCloseable process = server.process(); RawHttp2 client = RawHttp2.connect(server.port(), READ_TIMEOUT_MS)) {
            int pings = 0;
            long until = System.nanoTime() + ANSWERING_NANOS;
            for (int n = 0; n < MAX_FRAMES && System.nanoTime() < until; n++) {
                Frame frame = client.read();
                assertThat(frame).as("the server closed an answering client's connection after %d pings", pings).isNotNull();
                if (frame.type() == RawHttp2.SETTINGS && !frame.isAck()) {
                    client.send(RawHttp2.SETTINGS, RawHttp2.FLAG_ACK, 0, new byte[0]);
                }
                if (frame.type() == RawHttp2.PING && !frame.isAck()) {
                    pings++;
                    client.send(RawHttp2.PING, RawHttp2.FLAG_ACK, 0, frame.payload());
                }
            }
            assertThat(pings).as("pinged about once a second for five seconds").isGreaterThanOrEqualTo(2);
            // Still open: a PING of ours is answered.
            byte[] payload = {1, 2, 3, 4, 5, 6, 7, 8};
            client.send(RawHttp2.PING, 0, 0, payload);
            Frame answer = null;
            for (int n = 0; n < MAX_FRAMES && (answer == null || !(answer.type() == RawHttp2.PING && answer.isAck())); n++) {
                answer = client.read();
                assertThat(answer).as("the connection is still open").isNotNull();
                if (answer.type() == RawHttp2.PING && !answer.isAck()) {
                    client.send(RawHttp2.PING, RawHttp2.FLAG_ACK, 0, answer.payload());
                }
            }
            assertThat(answer.payload()).isEqualTo(payload);
        }
    }

    @Test
    void aFourthPingWithoutStreamsGetsTooManyPings() throws Exception {
        Server server = startServer(workDir);
        try (AutoCloseable process = server.process(); RawHttp2 client = RawHttp2.connect(server.port(), READ_TIMEOUT_MS)) {
            List<Frame> frames = pingAndCollect(client, 4);
            Frame goAway = frames.stream().filter(f -> f.type() == RawHttp2.GOAWAY).findFirst().orElse(null);
            assertThat(goAway).as("a GOAWAY among %s", frames).isNotNull();
            ByteBuffer payload = ByteBuffer.wrap(goAway.payload());
            payload.getInt(); // last stream id
            assertThat(Integer.toUnsignedLong(payload.getInt())).as("error code").isEqualTo(ENHANCE_YOUR_CALM);
            assertThat(new String(goAway.payload(), 8, goAway.payload().length - 8, StandardCharsets.US_ASCII))
                    .isEqualTo("too_many_pings");
            assertThat(frames.get(frames.size() - 1)).as("then the connection is closed").isNull();
        }
    }

    @Test
    void threePingsWithoutStreamsAreTolerated() throws Exception {
        Server server = startServer(workDir);
        try (AutoCloseable process = server.process(); RawHttp2 client = RawHttp2.connect(server.port(), QUIET_MS)) {
            List<Frame> frames = pingAndCollect(client, 3);
            assertThat(frames).as("no GOAWAY, no close").doesNotContainNull()
                    .noneMatch(f -> f.type() == RawHttp2.GOAWAY);
            assertThat(frames).filteredOn(f -> f.type() == RawHttp2.PING && f.isAck()).hasSize(3);
        }
    }

    /**
     * Answers the server's SETTINGS, sends {@code pings} PINGs back to back (without a stream any two
     * within two hours are too close), and returns every frame
     * read until the server closes (a null at the end) or says nothing for the read timeout.
     */
    private static List<Frame> pingAndCollect(RawHttp2 client, int pings) throws Exception {
        List<Frame> frames = new ArrayList<>();
        client.send(RawHttp2.SETTINGS, RawHttp2.FLAG_ACK, 0, new byte[0]);
        for (int i = 0; i < pings; i++) {
            client.send(RawHttp2.PING, 0, 0, new byte[] {(byte) i, 0, 0, 0, 0, 0, 0, 0});
        }
        try {
            for (int n = 0; n < MAX_FRAMES; n++) {
                Frame frame = client.read();
                frames.add(frame);
                if (frame == null) {
                    break;
                }
            }
        } catch (SocketTimeoutException quiet) {
            // the server has nothing more to say and kept the connection
        }
        return frames;
    }
}
