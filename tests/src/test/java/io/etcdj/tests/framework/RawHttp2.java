package io.etcdj.tests.framework;

import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/**
 * A bare HTTP/2 connection over a socket, for tests that must see or withhold individual frames
 * (SETTINGS, PING) that a gRPC client library hides: the client preface, then whole frames.
 */
public final class RawHttp2 implements AutoCloseable {
    public static final int SETTINGS = 0x4;
    public static final int PING = 0x6;
    public static final int GOAWAY = 0x7;
    public static final int FLAG_ACK = 0x1;
    private static final byte[] PREFACE = "PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n".getBytes(StandardCharsets.US_ASCII);

    /** One frame: its type, flags, stream id and payload. */
    public record Frame(int type, int flags, int stream, byte[] payload) {
        public boolean isAck() {
            return (flags & FLAG_ACK) != 0;
        }
    }

    private final Socket socket;
    private final DataInputStream in;
    private final OutputStream out;

    private RawHttp2(Socket socket) throws IOException {
        this.socket = socket;
        this.in = new DataInputStream(socket.getInputStream());
        this.out = socket.getOutputStream();
    }

    /** Connects to 127.0.0.1:{@code port} and sends the client preface and an empty SETTINGS. */
    public static RawHttp2 connect(int port, int readTimeoutMillis) throws IOException {
        Socket socket = new Socket("127.0.0.1", port);
        socket.setSoTimeout(readTimeoutMillis);
        RawHttp2 connection = new RawHttp2(socket);
        connection.out.write(PREFACE);
        connection.send(SETTINGS, 0, 0, new byte[0]);
        return connection;
    }

    public void send(int type, int flags, int stream, byte[] payload) throws IOException {
        ByteBuffer header = ByteBuffer.allocate(9);
        header.put((byte) (payload.length >>> 16)).put((byte) (payload.length >>> 8)).put((byte) payload.length);
        header.put((byte) type).put((byte) flags).putInt(stream);
        out.write(header.array());
        out.write(payload);
        out.flush();
    }

    /** The next frame; null when the server closed the connection. Throws on the read timeout. */
    public Frame read() throws IOException {
        try {
            int length = in.readUnsignedByte() << 16 | in.readUnsignedShort();
            int type = in.readUnsignedByte();
            int flags = in.readUnsignedByte();
            int stream = in.readInt() & 0x7fff_ffff;
            byte[] payload = new byte[length];
            in.readFully(payload);
            return new Frame(type, flags, stream, payload);
        } catch (EOFException e) {
            return null;
        } catch (SocketTimeoutException e) {
            throw e; // the server said nothing for the read timeout: not a close
        } catch (IOException e) {
            // A reset connection is a closed one, for these tests.
            if (e.getMessage() != null && e.getMessage().contains("reset")) {
                return null;
            }
            throw e;
        }
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
