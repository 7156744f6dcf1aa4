package dev.budgetmeter.localstack;

import dev.budgetmeter.localstack.internal.Loopback;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.BindException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.util.ArrayList;
import java.util.List;

/**
 * Reserves ports on the loopback interface, where every part of the local stack listens.
 *
 * <p>Each reservation is a bound socket held until {@link #close()}, so ports picked in one reservation set are
 * distinct from each other and from the fixed ones reserved with them. The stack closes the set right before it
 * launches its components; the short window in between is the only time another process could grab a picked port
 * (the components then fail with a {@link PortInUseException} as well).
 */
final class LoopbackPorts implements AutoCloseable {

    private final List<ServerSocket> held = new ArrayList<>();

    /**
     * Binds {@code port} (0 = any free port) and holds it until {@link #close()}.
     *
     * @return the bound port
     * @throws PortInUseException if the port is taken, naming {@code component}
     */
    int reserve(final int port, final String component) {
        final ServerSocket socket = bind(port, component);
        held.add(socket);
        return socket.getLocalPort();
    }

    /** Fails with a {@link PortInUseException} naming {@code component} unless {@code port} can be bound now. */
    static void requireFree(final int port, final String component) {
        try (LoopbackPorts probe = new LoopbackPorts()) {
            probe.reserve(port, component);
        }
    }

    /** Whether {@code port} can be bound right now. */
    static boolean isFree(final int port) {
        try {
            requireFree(port, "probe");
            return true;
        } catch (final PortInUseException e) {
            return false;
        }
    }

    /** Releases every reserved port. */
    @Override
    public void close() {
        for (final ServerSocket socket : held) {
            try {
                socket.close();
            } catch (final IOException ignored) {
                // Closing a listening socket that accepted nothing cannot lose data.
            }
        }
        held.clear();
    }

    private static ServerSocket bind(final int port, final String component) {
        ServerSocket socket = null;
        try {
            socket = new ServerSocket();
            // Same choice as Kafka and Quarkus make, so a port in TIME_WAIT after a restart counts as free.
            socket.setReuseAddress(true);
            socket.bind(new InetSocketAddress(InetAddress.getByName(Loopback.HOST), port));
            return socket;
        } catch (final BindException e) {
            closeQuietly(socket);
            throw new PortInUseException(component, port, e);
        } catch (final IOException e) {
            closeQuietly(socket);
            throw new UncheckedIOException("cannot probe port " + port + " on " + Loopback.HOST + " for " + component, e);
        }
    }

    private static void closeQuietly(final ServerSocket socket) {
        if (socket != null) {
            try {
                socket.close();
            } catch (final IOException ignored) {
                // Already failed to bind: nothing to release.
            }
        }
    }
}
