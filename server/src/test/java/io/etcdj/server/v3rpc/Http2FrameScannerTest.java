package io.etcdj.server.v3rpc;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** Frame boundaries found in byte streams cut at random places, against the frames that made them. */
class Http2FrameScannerTest {
    private static final byte[] PREFACE = "PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n".getBytes(StandardCharsets.US_ASCII);

    @Test
    void findsEveryFrameHoweverTheStreamIsCut() {
        Random random = new Random(7);
        for (int run = 0; run < 200; run++) {
            boolean client = run % 2 == 0;
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            if (client) {
                bytes.writeBytes(PREFACE);
            }
            List<String> written = new ArrayList<>();
            for (int f = random.nextInt(20); f >= 0; f--) {
                int type = random.nextInt(10);
                int flags = random.nextInt(256);
                // Payloads of random bytes, often ones that look like frame headers themselves.
                byte[] payload = new byte[random.nextInt(4) == 0 ? random.nextInt(40_000) : random.nextInt(20)];
                random.nextBytes(payload);
                bytes.writeBytes(new byte[] {(byte) (payload.length >>> 16), (byte) (payload.length >>> 8),
                    (byte) payload.length, (byte) type, (byte) flags, 0, 0, 0, (byte) random.nextInt(8)});
                bytes.writeBytes(payload);
                written.add(type + "/" + flags);
            }
            assertThat(scanInPieces(bytes.toByteArray(), client, random)).as("run %d", run).isEqualTo(written);
        }
    }

    @Test
    void anHttp1ConnectionTurnsItOff() {
        Http2FrameScanner scanner = new Http2FrameScanner(true);
        List<String> seen = new ArrayList<>();
        ByteBuf request = Unpooled.copiedBuffer("GET /health HTTP/1.1\r\nHost: x\r\n\r\n", StandardCharsets.US_ASCII);
        scanner.scan(request, (type, flags) -> seen.add(type + "/" + flags));
        assertThat(scanner.disabled()).isTrue();
        assertThat(seen).isEmpty();
        assertThat(request.readerIndex()).as("the buffer is not consumed").isZero();
    }

    @Test
    void aServerStreamHasNoPreface() {
        Http2FrameScanner scanner = new Http2FrameScanner(false);
        List<String> seen = new ArrayList<>();
        scanner.scan(Unpooled.wrappedBuffer(new byte[] {0, 0, 0, 4, 1, 0, 0, 0, 0}), (t, f) -> seen.add(t + "/" + f));
        assertThat(seen).containsExactly("4/1");
        // Negative control: the same scanner for a client's side waits for the preface and finds nothing.
        Http2FrameScanner clientSide = new Http2FrameScanner(true);
        clientSide.scan(Unpooled.wrappedBuffer(new byte[] {0, 0, 0, 4, 1, 0, 0, 0, 0}), (t, f) -> seen.add("client"));
        assertThat(clientSide.disabled()).isTrue();
        assertThat(seen).containsExactly("4/1");
    }

    private static List<String> scanInPieces(byte[] stream, boolean client, Random random) {
        Http2FrameScanner scanner = new Http2FrameScanner(client);
        List<String> seen = new ArrayList<>();
        int at = 0;
        while (at < stream.length) {
            int piece = Math.min(stream.length - at, 1 + random.nextInt(random.nextBoolean() ? 12 : 5_000));
            // Readable bytes in the middle of a larger buffer: the scanner must use the indices.
            ByteBuf buf = Unpooled.buffer(piece + 8).writeZero(4).writeBytes(stream, at, piece).writeZero(4);
            buf.readerIndex(4).writerIndex(4 + piece);
            scanner.scan(buf, (type, flags) -> seen.add(type + "/" + flags));
            assertThat(buf.readerIndex()).isEqualTo(4);
            at += piece;
        }
        assertThat(scanner.disabled()).isFalse();
        return seen;
    }
}
