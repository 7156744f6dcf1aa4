package dev.budgetmeter.registry;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;

/** URLs for failure tests. */
public final class TestUrls {

    private TestUrls() {
    }

    /** A loopback URL where nothing listens (a port just freed), so connections are refused at once. */
    public static String refusingConnections() {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return "http://127.0.0.1:" + socket.getLocalPort();
        } catch (final IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
