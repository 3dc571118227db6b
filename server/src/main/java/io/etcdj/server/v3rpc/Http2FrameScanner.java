package io.etcdj.server.v3rpc;

import io.netty.buffer.ByteBuf;
import java.nio.charset.StandardCharsets;

/**
 * Finds the HTTP/2 frames in one direction of a plaintext connection's byte stream, buffer by
 * buffer, without copying: it reads each 9-byte frame header (which may straddle buffers), reports
 * the frame's type and flags, and skips its payload. Only frame boundaries are tracked, never
 * contents, so the cost is a few operations per frame.
 *
 * <p>The client's side starts with the 24-byte connection preface; a stream that does not (an
 * HTTP/1 request) turns the scanner off for good. It must see the bytes in order and in plaintext: placed ahead of a TLS handler it would
 * read ciphertext (etcdj serves plain HTTP/2 only).
 */
final class Http2FrameScanner {
    static final int DATA = 0x0;
    static final int HEADERS = 0x1;
    static final int PING = 0x6;
    static final int FLAG_ACK = 0x1;
    private static final byte[] PREFACE = "PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n".getBytes(StandardCharsets.US_ASCII);
    private static final int HEADER_BYTES = 9;

    /** A frame header seen in the stream. */
    interface FrameListener {
        void onFrame(int type, int flags);
    }

    private int prefaceMatched;
    private boolean disabled;
    private final byte[] header = new byte[HEADER_BYTES];
    private int headerFilled;
    private int payloadLeft;

    /** A scanner for the client's bytes ({@code expectPreface}) or for the server's. */
    Http2FrameScanner(boolean expectPreface) {
        this.prefaceMatched = expectPreface ? 0 : PREFACE.length;
    }

    boolean disabled() {
        return disabled;
    }

    /** Scans the readable bytes of {@code buf} (indices untouched), reporting each frame header. */
    void scan(ByteBuf buf, FrameListener listener) {
        int i = buf.readerIndex();
        int end = buf.writerIndex();
        while (i < end && !disabled) {
            if (prefaceMatched < PREFACE.length) {
                if (buf.getByte(i) != PREFACE[prefaceMatched]) {
                    disabled = true;
                    return;
                }
                prefaceMatched++;
                i++;
            } else if (payloadLeft > 0) {
                int skip = Math.min(payloadLeft, end - i);
                payloadLeft -= skip;
                i += skip;
            } else {
                header[headerFilled++] = buf.getByte(i++);
                if (headerFilled == HEADER_BYTES) {
                    headerFilled = 0;
                    payloadLeft = (header[0] & 0xff) << 16 | (header[1] & 0xff) << 8 | header[2] & 0xff;
                    listener.onFrame(header[3] & 0xff, header[4] & 0xff);
                }
            }
        }
    }
}
