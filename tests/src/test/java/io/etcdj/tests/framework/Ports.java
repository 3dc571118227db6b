package io.etcdj.tests.framework;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.util.Locale;

/** Free loopback ports for spawned servers: bound once by the OS, released, handed out. */
public final class Ports {

    /** Starts of one server on fresh ports before a bind clash fails the test. */
    private static final int START_ATTEMPTS = 3;

    private Ports() {
    }

    public static int free() {
        try (ServerSocket socket = new ServerSocket()) {
            socket.setReuseAddress(false);
            socket.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Starts a server given a client and a peer port. */
    @FunctionalInterface
    public interface Starter<T> {
        T start(int clientPort, int peerPort);
    }

    /**
     * Starts a server on two free ports, and again on two new ones when the server died because a
     * port was taken between {@link #free()} releasing it and the server binding it: on a busy
     * machine an outgoing connection can get the same ephemeral port in that window (it happened in
     * CI). Any other start failure is the test's, and is thrown at once.
     */
    public static <T> T startOnFreePorts(Starter<T> starter) {
        for (int attempt = 1; ; attempt++) {
            try {
                return starter.start(free(), free());
            } catch (AssertionError e) {
                String message = String.valueOf(e.getMessage()).toLowerCase(Locale.ROOT);
                if (attempt == START_ATTEMPTS || !message.contains("address already in use")) {
                    throw e;
                }
            }
        }
    }
}
